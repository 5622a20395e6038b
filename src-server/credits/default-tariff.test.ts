import { getCountries, getCountryCallingCode } from "libphonenumber-js";
import { describe, expect, it } from "vitest";
import { buildRater } from "../../src-shared/credits/rater";
import { parseTariffCsv } from "../../src-shared/credits/tariff-csv";
import { defaultTariffCsv } from "./default-tariff";

describe("the shipped default tariff", () => {
  const { rows, rejected } = parseTariffCsv(defaultTariffCsv());
  const rater = buildRater(rows);
  const at = Date.UTC(2026, 10, 24);

  it("is a valid tariff CSV with no rejected line", () => {
    expect(rejected).toEqual([]);
    expect(rows.length).toBeGreaterThan(300);
  });

  it("rates a number under every country calling code libphonenumber knows", () => {
    const missing = getCountries().filter((region) => rater.rate(`+${getCountryCallingCode(region)}5555555`, at) === null);
    expect(missing).toEqual([]);
  });

  it("prices mobile and fixed apart in the biggest markets", () => {
    const pairs: [string, string][] = [
      ["+81312345678", "+819012345678"],
      ["+442071234567", "+447912345678"],
      ["+4930123456", "+4915112345678"],
      ["+33142345678", "+33612345678"],
      ["+61212345678", "+61412345678"],
      ["+551133334444", "+5511987654321"],
    ];
    for (const [fixed, mobile] of pairs) {
      expect(rater.rate(fixed, at)?.kind).toBe("fixed");
      expect(rater.rate(mobile, at)?.kind).toBe("mobile");
      expect(rater.rate(mobile, at)!.ratePerMinuteMicros).toBeGreaterThan(rater.rate(fixed, at)!.ratePerMinuteMicros);
    }
  });

  it("charges the US by the minute at $0.013 and Japan's mobiles at $0.12", () => {
    expect(rater.rate("+12015550123", at)).toMatchObject({ ratePerMinuteMicros: 13_000, increments: { first: 60, next: 60 } });
    expect(rater.rate("+819012345678", at)).toMatchObject({ destination: "Japan, mobile", ratePerMinuteMicros: 120_000 });
    expect(rater.rate("+18765551234", at)).toMatchObject({ destination: "Jamaica", ratePerMinuteMicros: 150_000 });
  });
});
