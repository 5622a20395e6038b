import { describe, expect, it } from "vitest";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { personalLineOf } from "./personal-line";

const typeOf = (e164: string) => parsePhoneNumberFromString(e164)?.getType();

describe("which numbers can be a user's caller ID", () => {
  it("accepts a mobile and a landline", () => {
    expect(personalLineOf(typeOf("+819012345678"))).toEqual({ line: "mobile" });
    expect(personalLineOf(typeOf("+81312345678"))).toEqual({ line: "fixed" });
    expect(personalLineOf(typeOf("+12015550123"))).toEqual({ line: "fixed_or_mobile" });
  });

  it("refuses premium-rate, toll-free and unknown numbers by name", () => {
    expect(personalLineOf(typeOf("+19005551234"))).toEqual({ refusal: "premium_rate" });
    expect(personalLineOf(typeOf("+18005550123"))).toEqual({ refusal: "unknown_type" });
    expect(personalLineOf(undefined)).toEqual({ refusal: "unknown_type" });
  });
});
