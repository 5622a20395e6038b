import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import { assertNever } from "../../src-shared/assert-never";
import type { NumberRefusal } from "../../src-shared/server-api/verification";

export type NumberCheck = { ok: true; e164: string } | { ok: false; reason: NumberRefusal };

type PhoneType = NonNullable<ReturnType<NonNullable<ReturnType<typeof parsePhoneNumberFromString>>["getType"]>>;

function refusalFor(type: PhoneType | undefined): NumberRefusal | null {
  if (type === undefined) return "unknown_type";
  switch (type) {
    case "MOBILE":
    case "FIXED_LINE":
    case "FIXED_LINE_OR_MOBILE":
      return null;
    case "PREMIUM_RATE":
      return "premium_rate";
    case "SHARED_COST":
      return "shared_cost";
    case "UAN":
      return "uan";
    case "PAGER":
      return "pager";
    case "VOICEMAIL":
      return "voicemail";
    case "VOIP":
      return "voip";
    case "PERSONAL_NUMBER":
      return "personal_number";
    // Toll-free lines are company lines, never a person's own phone.
    case "TOLL_FREE":
      return "unknown_type";
    default:
      return assertNever(type, "number type");
  }
}

/** A person's own mobile or landline, as E.164; every other kind of number is refused by name. */
export function checkVerifiableNumber(country: string, typed: string): NumberCheck {
  const parsed = parsePhoneNumberFromString(typed, country as CountryCode);
  if (parsed === undefined || !parsed.isValid()) return { ok: false, reason: "invalid_number" };
  const refusal = refusalFor(parsed.getType());
  return refusal === null ? { ok: true, e164: parsed.number } : { ok: false, reason: refusal };
}
