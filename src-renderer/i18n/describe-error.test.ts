import { describe, expect, it } from "vitest";
import { CallerError, errorToText } from "../../src-shared/errors";
import { createI18n, describeError, describeStoredError } from "./i18n";

describe("a throttled sign-in in words", () => {
  it.each([
    ["en", 30, "Too many failed sign-ins. Try again in 1 minute."],
    ["en", 900, "Too many failed sign-ins. Try again in 15 minutes."],
    ["ja", 120, "サインインの失敗が続いたため、しばらくサインインできません。2 分後にもう一度お試しください。"],
  ] as const)("in %s, a wait of %i s", async (language, retryAfterSeconds, words) => {
    const i18n = await createI18n(language);
    const error = new CallerError("sign_in_throttled", "Too many failed sign-ins: try again in 30 s", { retryAfterSeconds });
    expect(describeError(i18n.t.bind(i18n), error)).toBe(words);
  });
});

describe("a refusal with a reason in words", () => {
  const words = async (language: "en" | "ja", error: unknown) => {
    const i18n = await createI18n(language);
    return describeError(i18n.t.bind(i18n), error);
  };

  it("says what the conflict was in Japanese, not that something changed elsewhere", async () => {
    const taken = new CallerError("conflict", "This number is already assigned", { reason: "number_taken", params: { number: "+81355550100" } });
    expect(await words("ja", taken)).toBe("+81355550100 はすでに割り当てられています。別の番号を選ぶか、先に既存の割り当てを変更してください。");
    expect(await words("en", taken)).toBe("+81355550100 is already assigned. Pick another number, or first change the existing assignment.");
    const consult = new CallerError("conflict", "Your teammate has not answered the consultation yet", { reason: "consultation_not_answered" });
    expect(await words("ja", consult)).toBe("チームメイトがまだ相談に応答していません。");
  });

  it("formats money and counts through Intl in the UI language", async () => {
    const units = new CallerError("bad_request", "Credit is bought in units of $5, $10 or $15", {
      reason: "not_a_credit_unit",
      params: { smallMicros: 5_000_000, middleMicros: 10_000_000, largeMicros: 15_000_000 },
    });
    expect(await words("en", units)).toBe("Credit is bought in units of $5.00, $10.00 or $15.00.");
    expect(await words("ja", units)).toBe("クレジットは $5.00、$10.00、$15.00 単位で購入できます。");
    const limit = new CallerError("bad_request", "m", { reason: "invoice_limit_range", params: { minMicros: 0, maxMicros: 100_000_000_000 } });
    expect(await words("en", limit)).toBe("The invoice limit must be from $0.00 to $100,000.00.");
  });

  it("names a field that failed its schema in words, and an unnamed one as the request calls it", async () => {
    const tooLong = new CallerError("bad_request", "body.name: Too big", { reason: "invalid_field", params: { field: "name", rule: "too_long", limit: 80 } });
    expect(await words("ja", tooLong)).toBe("名前：80 文字以内で入力してください。");
    expect(await words("en", tooLong)).toBe("Name: use at most 80 characters.");
    const odd = new CallerError("bad_request", "body.ringSeconds: Too small", { reason: "invalid_field", params: { field: "ringSeconds", rule: "too_small", limit: 5 } });
    expect(await words("en", odd)).toBe("ringSeconds: must be at least 5.");
  });

  it("falls back to the code's text when there is no reason (an older server)", async () => {
    expect(await words("ja", new CallerError("conflict", "This number is already assigned"))).toBe("他の場所での変更と競合しています。");
  });

  it("words an offline outcome's kept refusal, and shows older kept text as it is", async () => {
    const i18n = await createI18n("ja");
    const t = i18n.t.bind(i18n);
    expect(describeStoredError(t, errorToText(new CallerError("conflict", "This outcome is no longer offered: pick another", { reason: "outcome_withdrawn" })))).toBe("この結果はもう使えません。別の結果を選んでください。");
    expect(describeStoredError(t, "no longer offered")).toBe("no longer offered");
  });
});
