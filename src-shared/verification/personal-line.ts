import type { PhoneNumberType } from "libphonenumber-js/max";
import { assertNever } from "../assert-never";
import type { NumberRefusal } from "../server-api/verification";

export type PersonalLine = "mobile" | "fixed" | "fixed_or_mobile";

/**
 * Which numbers can be a user's caller ID, for the app's number field and the
 * server's verification alike: only a person's own mobile or landline; every
 * other type is refused by name.
 */
export function personalLineOf(type: PhoneNumberType | undefined): { line: PersonalLine } | { refusal: NumberRefusal } {
  if (type === undefined) return { refusal: "unknown_type" };
  switch (type) {
    case "MOBILE":
      return { line: "mobile" };
    case "FIXED_LINE":
      return { line: "fixed" };
    case "FIXED_LINE_OR_MOBILE":
      return { line: "fixed_or_mobile" };
    case "PREMIUM_RATE":
      return { refusal: "premium_rate" };
    case "SHARED_COST":
      return { refusal: "shared_cost" };
    case "UAN":
      return { refusal: "uan" };
    case "PAGER":
      return { refusal: "pager" };
    case "VOICEMAIL":
      return { refusal: "voicemail" };
    case "VOIP":
      return { refusal: "voip" };
    case "PERSONAL_NUMBER":
      return { refusal: "personal_number" };
    // A toll-free line belongs to a company, never a person.
    case "TOLL_FREE":
      return { refusal: "unknown_type" };
    default:
      return assertNever(type, "number type");
  }
}
