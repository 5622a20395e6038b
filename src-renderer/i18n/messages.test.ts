import { describe, expect, it } from "vitest";
import { errorReasons, fieldRules, reasonParams } from "../../src-shared/error-reasons";
import { errorCodes } from "../../src-shared/errors";
import { callDispositions } from "../../src-shared/server-api/calls";
import { dispositionText } from "../screens/history/history-row";
import { purchasesEn, purchasesJa } from "./areas/purchases";
import { en } from "./en";
import { createI18n } from "./i18n";
import { ja } from "./ja";

function leaves(tree: object, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, value]) => (typeof value === "string" ? [`${prefix}${key}`] : leaves(value as object, `${prefix}${key}.`)));
}

describe("UI messages", () => {
  it("say every error code in English and Japanese", () => {
    for (const code of errorCodes) {
      expect(en.errors).toHaveProperty(code);
      expect(ja.errors).toHaveProperty(code);
    }
  });

  it("say every error reason in English and Japanese, using only its params (money by its name without Micros), formatted alike", () => {
    const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)(,[^}]*)?\}\}/g)].map((m) => `${m[1]}${m[2] ?? ""}`).sort();
    for (const reason of errorReasons) {
      const paths: string[][] = reason === "invalid_field" ? fieldRules.map((rule) => ["invalid_field", rule]) : [[reason]];
      const shape: Record<string, unknown> = reasonParams[reason];
      const allowed = Object.keys(shape).map((key) => key.replace(/Micros$/, ""));
      for (const path of paths) {
        const lookup = (tree: object) => path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], tree);
        const [english, japanese] = [lookup(en.reasons), lookup(ja.reasons)];
        expect(typeof english, `en reasons.${path.join(".")}`).toBe("string");
        expect(typeof japanese, `ja reasons.${path.join(".")}`).toBe("string");
        expect(placeholders(japanese as string), path.join(".")).toEqual(placeholders(english as string));
        for (const name of placeholders(english as string).map((p) => p.split(",")[0])) expect(allowed, `reasons.${path.join(".")}: {{${name}}}`).toContain(name);
      }
    }
  });

  it("name every call disposition the server records, in English and Japanese", () => {
    for (const [language, messages] of [["en", en], ["ja", ja]] as const) {
      const t = (key: string): string => (key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], messages) as string | undefined) ?? key;
      for (const disposition of callDispositions) expect(dispositionText(disposition, t), `${language}: ${disposition}`).not.toContain("disposition");
      expect(dispositionText("interrupted", t)).toBe(messages.disposition.interrupted);
    }
  });

  it("use the same placeholders in both languages", () => {
    const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const lookup = (tree: object, path: string) => path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], tree) as string;
    for (const path of leaves(en)) expect(placeholders(lookup(ja, path)), path).toEqual(placeholders(lookup(en, path)));
  });

  it("have the same keys in both languages", () => {
    expect(leaves(ja)).toEqual(leaves(en));
  });

  it("of the lazily added areas have the same keys and placeholders in both languages, none clashing with the first paint's", () => {
    const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const lookup = (tree: object, path: string) => path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], tree) as string;
    expect(leaves(purchasesJa)).toEqual(leaves(purchasesEn));
    for (const path of leaves(purchasesEn)) expect(placeholders(lookup(purchasesJa, path)), path).toEqual(placeholders(lookup(purchasesEn, path)));
    for (const top of Object.keys(purchasesEn)) expect(en).not.toHaveProperty(top);
  });

  it("count with plural forms, never a word(s)", async () => {
    const lookup = (path: string) => path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], en) as string;
    for (const path of leaves(en)) {
      expect(lookup(path), path).not.toMatch(/[a-z]\(s\)/i);
      if (path.endsWith("_one")) expect(leaves(en), path).toContain(path.replace(/_one$/, "_other"));
    }
    const i18n = await createI18n("en");
    expect(i18n.t("company.picker.waiting", { count: 1 })).toBe("1 call waiting for an outcome");
    expect(i18n.t("company.picker.waiting", { count: 2 })).toBe("2 calls waiting for an outcome");
    expect(i18n.t("credits.monthlyBonus", { count: 1, amount: "$4.00", each: "$4.00" })).toBe("Monthly bonus $4.00 (1 Caller user × $4.00)");
    expect(i18n.t("crm.totals", { count: 1, minutes: "2 min", cost: "$0.10" })).toBe("1 call · 2 min · $0.10");
    await i18n.changeLanguage("ja");
    expect(i18n.t("company.picker.waiting", { count: 1 })).toBe("結果の入力を待っている通話：1 件");
  });
});
