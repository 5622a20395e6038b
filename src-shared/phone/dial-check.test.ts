import { describe, expect, it } from "vitest";
import { checkDialable } from "./dial-check";

describe("checkDialable", () => {
  it.each([
    ["+1 201 555 0123", "JP", "+12015550123"],
    ["03-1234-5678", "JP", "+81312345678"],
    ["(201) 555-0123", "US", "+12015550123"],
  ])("dials %j (%s) as %s", (input, country, e164) => {
    expect(checkDialable(input, country)).toEqual({ ok: true, e164 });
  });

  it.each([
    ["+1201555&0123", "invalid"],
    ["+1201555,0123", "invalid"],
    ["+1201555;0123", "invalid"],
    ["+12015550123;user=phone", "letters"],
    ["+1201555\n0123", "invalid"],
    ["+1201555\r\n0123", "invalid"],
    ["+1201555O123", "letters"],
    ["sip:+12015550123@evil", "letters"],
    ["", "empty"],
  ])("never dials %j (%s)", (input, problem) => {
    expect(checkDialable(input, "US")).toEqual({ ok: false, problem });
  });

  it.each([
    ["110", "JP"],
    ["119", "JP"],
    ["911", "US"],
    ["112", "DE"],
    ["999", "GB"],
    ["000", "AU"],
    ["+81 119", "JP"],
  ])("refuses the emergency number %j in %s with its own reason", (input, country) => {
    expect(checkDialable(input, country)).toEqual({ ok: false, problem: "emergency" });
  });
});
