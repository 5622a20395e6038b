import { describe, expect, it } from "vitest";
import { checkDestination, defaultDestinationPolicy } from "./destination-policy";

describe("which destinations may be dialed", () => {
  it.each(["+12015550123", "+81312345678", "+819012345678", "+447911123456"])("%s is dialable", (to) => {
    expect(checkDestination(to)).toEqual({ ok: true });
  });

  it.each(["", "12015550123", "+1201555", "+819901234567", "+81 3 1234 5678", "+0312345678", "+1201555012x", "+12015550123\n"])("%j is not a valid E.164 number", (to) => {
    expect(checkDestination(to)).toEqual({ ok: false, reason: "invalid_number" });
  });

  it.each(["+19005551234", "+448712345678"])("premium-rate %s is blocked", (to) => {
    expect(checkDestination(to)).toEqual({ ok: false, reason: "destination_blocked" });
  });

  it("blocks the prefixes an operator lists, and only those", () => {
    const policy = { ...defaultDestinationPolicy, blockedPrefixes: ["+8150"] };
    expect(checkDestination("+815012345678", policy)).toEqual({ ok: false, reason: "destination_blocked" });
    expect(checkDestination("+815012345678")).toEqual({ ok: true });
    expect(checkDestination("+819012345678", policy)).toEqual({ ok: true });
  });
});
