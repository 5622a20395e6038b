import { describe, expect, it } from "vitest";
import { checkEmergency } from "./emergency";

describe("checkEmergency", () => {
  it.each([
    ["110", "JP"],
    ["119", "JP"],
    ["118", "JP"],
    ["１１０", "JP"],
    ["1-1-9", "JP"],
    ["911", "US"],
    ["999", "GB"],
    ["000", "AU"],
    ["112", "DE"],
    ["112", "JP"],
    ["911", "JP"],
    ["+81 110", "US"],
    ["+1 911", "JP"],
    ["+44 999", "JP"],
  ])("refuses %j for a company in %s", (input, country) => {
    expect(checkEmergency(input, country)).toMatchObject({ emergency: true });
  });

  it.each([
    ["03-1234-5678", "JP"],
    ["+81312345678", "JP"],
    ["+12015550123", "US"],
    ["1100", "JP"],
    ["110", "US"],
    ["11", "JP"],
    ["", "JP"],
    ["110;", "JP"],
    ["+81 3 110", "JP"],
  ])("lets %j through for a company in %s", (input, country) => {
    expect(checkEmergency(input, country)).toEqual({ emergency: false });
  });

  it("names the code it matched", () => {
    expect(checkEmergency("+81-119", "JP")).toEqual({ emergency: true, code: "119" });
  });
});
