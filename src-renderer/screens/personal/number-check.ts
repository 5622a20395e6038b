import { AsYouType, parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import { foldNumberText } from "../../../src-shared/phone/normalize";
import type { NumberRefusal } from "../../../src-shared/server-api/verification";
import { personalLineOf, type PersonalLine } from "../../../src-shared/verification/personal-line";

/** What the number field says about what was typed, before any call is placed. */
export type PersonalNumberCheck =
  | { kind: "empty" }
  /** Could still become a number: no complaint while the user is typing. */
  | { kind: "incomplete" }
  | { kind: "refused"; reason: NumberRefusal }
  | { kind: "ok"; e164: string; international: string; line: PersonalLine };

export function checkPersonalNumber(country: string, typed: string): PersonalNumberCheck {
  const text = foldNumberText(typed);
  if (text === "") return { kind: "empty" };
  if (/\p{L}/u.test(text) || !/^[+]?[0-9 ().-]+$/.test(text)) return { kind: "refused", reason: "invalid_number" };
  const parsed = parsePhoneNumberFromString(text, country as CountryCode);
  if (parsed === undefined || !parsed.isValid()) {
    const digits = text.replace(/\D/g, "").length;
    // Too long or impossible as typed is an error now; shorter may still grow into a number.
    return digits > 15 || parsed?.isPossible() === true ? { kind: "refused", reason: "invalid_number" } : { kind: "incomplete" };
  }
  const verdict = personalLineOf(parsed.getType());
  return "refusal" in verdict ? { kind: "refused", reason: verdict.refusal } : { kind: "ok", e164: parsed.number, international: parsed.formatInternational(), line: verdict.line };
}

/**
 * Groups the digits as the country writes them while the user types
 * ("09012345678" → "090-1234-5678"). Only when text was added: reformatting
 * on delete would put back the separator the user just removed.
 */
export function formatWhileTyping(country: string, previous: string, next: string): string {
  const text = foldNumberText(next);
  if (text.length <= foldNumberText(previous).length || !/^[+]?[0-9 ().-]*$/.test(text)) return next;
  return new AsYouType(country as CountryCode).input(text);
}

/** An E.164 number written for people ("+81 90-1234-5678"). */
export function formatConnected(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
