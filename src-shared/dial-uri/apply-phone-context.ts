import { getCountries, getCountryCallingCode, parsePhoneNumberFromString } from "libphonenumber-js/max";
import type { PhoneContext } from "./phone-context";
import type { DialUriProblem } from "./problems";

export type LocatedNumber = { ok: true; text: string } | { ok: false; problem: DialUriProblem };

let callingCodes: ReadonlySet<string> | null = null;

function isCountryCallingCode(digits: string): boolean {
  callingCodes ??= new Set(getCountries().map((country) => getCountryCallingCode(country)));
  return callingCodes.has(digits);
}

/**
 * Places the number part in the world, as text `normalizeNumber` reads:
 * - a global number ("+…") stands alone; a `phone-context` beside it is ignored;
 * - a local number with no context is read in the company's country later
 *   (RFC 3966 wants a context, but `tel:03-1234-5678` is what web pages carry);
 * - a context that is a country calling code ("+81") reads the local number the
 *   way that country writes it, trunk prefix included ("03…" → +81 3…);
 * - a longer global context ("+81-3", "+1-201") is a prefix to the local digits;
 * - a domain context names a private numbering plan (a PBX's extensions): we
 *   cannot reach it through the trunk, and guessing a public number could ring a
 *   stranger, so it is refused.
 */
export function applyPhoneContext(numberText: string, context: PhoneContext | null): LocatedNumber {
  if (numberText.startsWith("+") || context === null) return { ok: true, text: numberText };
  if (context.kind === "domain") return { ok: false, problem: "private_context" };
  if (!/^[0-9 ().-]+$/.test(numberText)) return { ok: false, problem: "invalid" };

  const localDigits = numberText.replace(/\D/g, "");
  if (!isCountryCallingCode(context.digits)) return { ok: true, text: `+${context.digits}${localDigits}` };
  const parsed = parsePhoneNumberFromString(localDigits, { defaultCallingCode: context.digits });
  return parsed ? { ok: true, text: parsed.number } : { ok: false, problem: "invalid" };
}
