import { parsePhoneNumberFromString, type PhoneNumberType } from "libphonenumber-js/max";

export type TypeVerdict = "dial" | "premium_rate" | "not_personal";

/**
 * Which kinds of number a sales team may ring from a link. People and
 * businesses answer fixed lines, mobiles, toll-free lines and VoIP numbers
 * (JP 050, UK 056). Premium rate bills the caller per call or minute and is the
 * usual toll-fraud target. Shared-cost (UK 084x, JP 0570 "navi dial" as UAN),
 * personal-number services (UK 070, US 500: forwarding at a premium), pagers
 * and voicemail access do not reach a person in a conversation and often cost
 * extra or are blocked from IP trunks.
 */
const verdictByType: Readonly<Record<PhoneNumberType, TypeVerdict>> = {
  FIXED_LINE: "dial",
  MOBILE: "dial",
  FIXED_LINE_OR_MOBILE: "dial",
  TOLL_FREE: "dial",
  VOIP: "dial",
  PREMIUM_RATE: "premium_rate",
  SHARED_COST: "not_personal",
  UAN: "not_personal",
  PERSONAL_NUMBER: "not_personal",
  PAGER: "not_personal",
  VOICEMAIL: "not_personal",
};

/**
 * The verdict for a valid E.164 number. A valid number whose type the metadata
 * does not tell (rare, small countries) is dialable: it passed validation, and
 * the PBX's destination rules still apply.
 */
export function numberTypeVerdict(e164: string): TypeVerdict {
  const type = parsePhoneNumberFromString(e164)?.getType();
  return type === undefined ? "dial" : verdictByType[type];
}
