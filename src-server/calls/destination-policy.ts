import { parsePhoneNumberFromString, type NumberType } from "libphonenumber-js/max";

export interface DestinationPolicy {
  /** Number types never dialed: the caller pays a premium or shares the cost with the callee. */
  blockedTypes: ReadonlySet<NumberType>;
  /** E.164 prefixes an operator blocks (a country, a range), e.g. "+8150". */
  blockedPrefixes: readonly string[];
}

export const defaultDestinationPolicy: DestinationPolicy = {
  blockedTypes: new Set<NumberType>(["PREMIUM_RATE", "SHARED_COST"]),
  blockedPrefixes: [],
};

export type DestinationCheck = { ok: true } | { ok: false; reason: "invalid_number" | "destination_blocked" };

/** The number must be exactly a valid E.164 number (as the dialplan sends it), of a type and range the policy allows. */
export function checkDestination(to: string, policy: DestinationPolicy = defaultDestinationPolicy): DestinationCheck {
  if (!/^\+[1-9][0-9]{7,14}$/.test(to)) return { ok: false, reason: "invalid_number" };
  const parsed = parsePhoneNumberFromString(to);
  if (parsed === undefined || parsed.number !== to || !parsed.isValid()) return { ok: false, reason: "invalid_number" };
  const type = parsed.getType();
  if (type !== undefined && policy.blockedTypes.has(type)) return { ok: false, reason: "destination_blocked" };
  if (policy.blockedPrefixes.some((prefix) => to.startsWith(prefix))) return { ok: false, reason: "destination_blocked" };
  return { ok: true };
}
