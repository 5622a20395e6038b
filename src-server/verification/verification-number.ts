import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import type { NumberRefusal } from "../../src-shared/server-api/verification";
import { personalLineOf } from "../../src-shared/verification/personal-line";

export type NumberCheck = { ok: true; e164: string } | { ok: false; reason: NumberRefusal };

/** A person's own mobile or landline, as E.164; every other kind of number is refused by name. */
export function checkVerifiableNumber(country: string, typed: string): NumberCheck {
  const parsed = parsePhoneNumberFromString(typed, country as CountryCode);
  if (parsed === undefined || !parsed.isValid()) return { ok: false, reason: "invalid_number" };
  const verdict = personalLineOf(parsed.getType());
  return "refusal" in verdict ? { ok: false, reason: verdict.refusal } : { ok: true, e164: parsed.number };
}
