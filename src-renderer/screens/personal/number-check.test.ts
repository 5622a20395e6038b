import { describe, expect, it } from "vitest";
import { countryOptions } from "./country-options";
import { checkPersonalNumber, formatConnected, formatWhileTyping } from "./number-check";

describe("a number typed in personal settings", () => {
  it.each([
    ["JP", "090-1234-5678", "+819012345678", "mobile"],
    ["JP", "03-1234-5678", "+81312345678", "fixed"],
    ["US", "(201) 555-0161", "+12015550161", "fixed_or_mobile"],
    ["GB", "07400 123456", "+447400123456", "mobile"],
    ["JP", "＋８１ ９０ １２３４ ５６７８", "+819012345678", "mobile"],
  ])("in %s, %j is a person's own line: %s", (country, typed, e164, line) => {
    expect(checkPersonalNumber(country, typed)).toMatchObject({ kind: "ok", e164, line });
  });

  it.each([
    ["US", "+1 900 555 1234", "premium_rate"],
    ["JP", "0570-000-000", "uan"],
    ["GB", "+44 7640 123456", "pager"],
    ["GB", "070 1234 5678", "personal_number"],
    ["JP", "050-1234-5678", "voip"],
    ["FR", "08 10 12 34 56", "shared_cost"],
    ["JP", "0120-123-456", "unknown_type"],
    ["JP", "090-1234-abcd", "invalid_number"],
    ["JP", "090123456789012345", "invalid_number"],
  ])("in %s, %j is refused as %s", (country, typed, reason) => {
    expect(checkPersonalNumber(country, typed)).toEqual({ kind: "refused", reason });
  });

  it("says nothing while a number is still being typed", () => {
    expect(checkPersonalNumber("JP", "")).toEqual({ kind: "empty" });
    expect(checkPersonalNumber("JP", "090-12")).toEqual({ kind: "incomplete" });
  });

  it("is grouped as the country writes it while typing, and left alone while deleting", () => {
    expect(formatWhileTyping("JP", "0901234567", "09012345678")).toBe("090-1234-5678");
    expect(formatWhileTyping("US", "201555016", "2015550161")).toBe("(201) 555-0161");
    expect(formatWhileTyping("JP", "090-1234-5678", "090-1234-567")).toBe("090-1234-567");
    expect(formatConnected("+819012345678")).toBe("+81 90 1234 5678");
  });
});

describe("the country picker", () => {
  it("names countries in the UI language with their calling codes, sorted by that name, the company's first", () => {
    const en = countryOptions("en", "JP");
    expect(en[0]).toEqual({ code: "JP", name: "Japan", callingCode: "81" });
    const rest = en.slice(1).map((o) => o.name);
    expect(rest).toEqual([...rest].sort(new Intl.Collator("en").compare));
    expect(en.find((o) => o.code === "DE")?.name).toBe("Germany");
    const ja = countryOptions("ja", "US");
    expect(ja[0]).toMatchObject({ code: "US", name: "アメリカ合衆国", callingCode: "1" });
    expect(ja.find((o) => o.code === "JP")?.name).toBe("日本");
    expect(ja.length).toBe(en.length);
  });
});
