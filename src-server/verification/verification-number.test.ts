import { describe, expect, it } from "vitest";
import { codeMatches, hashVerificationCode, newVerificationCode } from "./verification-code";
import { checkVerifiableNumber } from "./verification-number";

describe("which numbers can be verified", () => {
  it("mobiles and landlines are accepted as E.164, typed nationally or internationally", () => {
    expect(checkVerifiableNumber("JP", "090-1234-5678")).toEqual({ ok: true, e164: "+819012345678" });
    expect(checkVerifiableNumber("GB", "020 7946 0000")).toEqual({ ok: true, e164: "+442079460000" });
    expect(checkVerifiableNumber("US", "+1 201 555 0123")).toEqual({ ok: true, e164: "+12015550123" });
  });

  it("premium-rate, UAN, pager, personal and invalid numbers are refused by name", () => {
    expect(checkVerifiableNumber("US", "+19005551234")).toEqual({ ok: false, reason: "premium_rate" });
    expect(checkVerifiableNumber("JP", "0570-000-000")).toEqual({ ok: false, reason: "uan" });
    expect(checkVerifiableNumber("GB", "07640 123456")).toEqual({ ok: false, reason: "pager" });
    expect(checkVerifiableNumber("GB", "07012 345678")).toEqual({ ok: false, reason: "personal_number" });
    expect(checkVerifiableNumber("GB", "01632 960000")).toEqual({ ok: false, reason: "invalid_number" });
    expect(checkVerifiableNumber("US", "not a number")).toEqual({ ok: false, reason: "invalid_number" });
  });
});

describe("verification codes", () => {
  it("are six digits and only their salted hash matches them", () => {
    const codes = Array.from({ length: 200 }, newVerificationCode);
    for (const code of codes) expect(code).toMatch(/^[0-9]{6}$/);
    expect(new Set(codes).size).toBeGreaterThan(190);
    const stored = hashVerificationCode("042917");
    expect(stored.hash).not.toContain("042917");
    expect(codeMatches("042917", stored)).toBe(true);
    expect(codeMatches("42917", stored)).toBe(false);
    expect(codeMatches("042918", stored)).toBe(false);
    expect(hashVerificationCode("042917").salt).not.toBe(stored.salt);
  });
});
