import { isSupportedCountry } from "libphonenumber-js/max";
import { z } from "zod";

/**
 * A company's country: ISO 3166-1 alpha-2, limited to the regions whose phone
 * numbers we can read, since the country is what numbers without a + are read in.
 */
export const CountryCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, "expected a two-letter country code")
  .refine((code) => isSupportedCountry(code), "not a known country code");

const zoneNameShape = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

/**
 * True for names Intl knows as IANA zones ("Asia/Tokyo", "UTC"). Not
 * `Intl.supportedValuesOf`: on Node 20 it omits "UTC" and current aliases such as "Asia/Kolkata".
 */
export function isTimeZone(value: string): boolean {
  if (!zoneNameShape.test(value)) return false;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone.length > 0;
  } catch {
    return false;
  }
}

export const TimeZone = z.string().trim().max(64).refine(isTimeZone, "not an IANA time zone");
