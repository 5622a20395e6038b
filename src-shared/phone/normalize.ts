import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";

export type NumberProblem = "empty" | "letters" | "too_short" | "too_long" | "invalid" | "unknown_country";

export type NormalizedNumber =
  | { ok: true; e164: string; country: string | null; international: string; national: string }
  | { ok: false; problem: NumberProblem };

const maxInputLength = 64;

/**
 * Folds what people type or paste into plain ASCII: full-width digits and "＋"
 * from Japanese keyboards (NFKC), and the many dashes and spaces used as visual
 * separators.
 */
export function foldNumberText(input: string): string {
  return input.normalize("NFKC").replace(/[\u2010-\u2015\u2212\u30fc\uff70]/g, "-").trim();
}

/**
 * Reads a number as a person typed it, in the company's default country when it
 * has no +, and returns E.164 or the reason it cannot be dialed.
 */
export function normalizeNumber(input: string, defaultCountry: string): NormalizedNumber {
  const text = foldNumberText(input);
  if (text === "") return { ok: false, problem: "empty" };
  if (text.length > maxInputLength) return { ok: false, problem: "too_long" };
  if (/\p{L}/u.test(text)) return { ok: false, problem: "letters" };
  if (!/^[+]?[0-9 ().-]+$/.test(text)) return { ok: false, problem: "invalid" };

  const digits = text.replace(/\D/g, "");
  if (digits.length < 4) return { ok: false, problem: "too_short" };
  if (digits.length > 15) return { ok: false, problem: "too_long" };

  const parsed = parsePhoneNumberFromString(text, { defaultCountry: defaultCountry.toUpperCase() as CountryCode });
  if (!parsed) return { ok: false, problem: text.startsWith("+") ? "unknown_country" : "invalid" };
  if (!parsed.isValid()) return { ok: false, problem: parsed.isPossible() ? "invalid" : "too_short" };
  return {
    ok: true,
    e164: parsed.number,
    country: parsed.country ?? null,
    international: parsed.formatInternational(),
    national: parsed.formatNational(),
  };
}

/** Groups digits for display while typing ("+81 3 1234 5678"); unparseable text is returned as typed. */
export function formatForDisplay(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

/**
 * A stored E.164 number as a person reads it: national style when it is in `homeCountry`
 * ("03-1234-5678"), international otherwise ("+1 201 555 0123"); unparseable text as it is.
 */
export function formatForCountry(e164: string, homeCountry: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (parsed === undefined) return e164;
  return parsed.country !== undefined && parsed.country === homeCountry ? parsed.formatNational() : parsed.formatInternational();
}
