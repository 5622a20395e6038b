import { describe, expect, it } from "vitest";
import { CallerError } from "../../src-shared/errors";
import { createI18n, describeError } from "./i18n";

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
