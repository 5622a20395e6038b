import { describe, expect, it } from "vitest";
import { formatForCountry, normalizeNumber } from "./normalize";

describe("normalizeNumber", () => {
  it.each([
    ["03-1234-5678", "JP", "+81312345678"],
    ["０３－１２３４－５６７８", "JP", "+81312345678"],
    ["090 1234 5678", "JP", "+819012345678"],
    ["+1 (201) 555-0123", "JP", "+12015550123"],
    ["(201) 555-0123", "US", "+12015550123"],
    ["＋８１　３　１２３４　５６７８", "US", "+81312345678"],
    ["020 7946 0958", "GB", "+442079460958"],
  ])("reads %s in %s as %s", (input, country, e164) => {
    const result = normalizeNumber(input, country);
    expect(result).toMatchObject({ ok: true, e164 });
  });

  it.each([
    ["", "empty"],
    ["   ", "empty"],
    ["1-800-FLOWERS", "letters"],
    ["電話番号", "letters"],
    ["12", "too_short"],
    ["+81 3 1234 5678 9999 1234", "too_long"],
    ["03-1234-5678;1&2", "invalid"],
    ["03\t1234\t5678", "invalid"],
    ["+81 3 1234\n5678", "invalid"],
    ["+999 1234 5678", "unknown_country"],
    ["03-0000-000", "invalid"],
  ])("refuses %j as %s", (input, problem) => {
    expect(normalizeNumber(input, "JP")).toEqual({ ok: false, problem });
  });
});

describe("formatForCountry", () => {
  it("reads a number of the company's country national style and every other international", () => {
    expect(formatForCountry("+81312345678", "JP")).toBe("03-1234-5678");
    expect(formatForCountry("+12015550123", "JP")).toBe("+1 201 555 0123");
    expect(formatForCountry("+12015550123", "US")).toBe("(201) 555-0123");
    expect(formatForCountry("+81312345678", "US")).toBe("+81 3 1234 5678");
    expect(formatForCountry("anonymous", "JP")).toBe("anonymous");
  });
});
