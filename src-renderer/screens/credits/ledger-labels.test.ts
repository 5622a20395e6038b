import { describe, expect, it } from "vitest";
import { formatMoney } from "../../../src-shared/format";
import { createI18n } from "../../i18n/i18n";
import { noteLabel } from "./ledger-labels";

describe("ledger notes in the UI language", () => {
  it("say the server's coded notes in English and Japanese, with plural forms and money", async () => {
    const i18n = await createI18n("en");
    const money = (micros: number) => formatMoney(micros, "USD", i18n.language);
    const t = i18n.t.bind(i18n) as (key: string, options?: Record<string, unknown>) => string;
    expect(noteLabel({ note: null, noteCode: "bonus_users", noteValue: 2 }, t, money)).toBe("2 Caller users");
    expect(noteLabel({ note: null, noteCode: "bonus_users", noteValue: 1 }, t, money)).toBe("1 Caller user");
    expect(noteLabel({ note: null, noteCode: "demo_credit", noteValue: null }, t, money)).toBe("Demo credit");
    expect(noteLabel({ note: null, noteCode: "credit_short", noteValue: 1_234_000 }, t, money)).toBe("Credit was short by $1.23");
    expect(noteLabel({ note: "pay_9f2", noteCode: null, noteValue: null }, t, money)).toBe("pay_9f2");
    await i18n.changeLanguage("ja");
    expect(noteLabel({ note: null, noteCode: "bonus_users", noteValue: 2 }, t, money)).toBe("Caller利用者 2 人");
    expect(noteLabel({ note: null, noteCode: "bonus_unused", noteValue: null }, t, money)).toBe("月末に未使用のボーナス");
    expect(noteLabel({ note: "Demo credit", noteCode: "demo_credit", noteValue: null }, t, money)).toBe("デモ用クレジット");
  });
});
