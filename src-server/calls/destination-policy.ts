import { parsePhoneNumberFromString, type NumberType } from "libphonenumber-js/max";

export interface DestinationPolicy {
  /** Number types never dialed: the caller pays a premium or shares the cost with the callee. */
  blockedTypes: ReadonlySet<NumberType>;
  /** E.164 prefixes blocked for everyone whatever the operator's rules say, e.g. "+8150". */
  blockedPrefixes: readonly string[];
  /** The operator's blocks (default IRSF ranges and the rules over them), per company; absent: none. */
  blocks?: { isBlocked(companyId: number, e164: string): boolean };
}

export const defaultDestinationPolicy: DestinationPolicy = {
  blockedTypes: new Set<NumberType>(["PREMIUM_RATE", "SHARED_COST"]),
  blockedPrefixes: [],
};

export type DestinationCheck = { ok: true } | { ok: false; reason: "invalid_number" | "destination_blocked" };

/**
 * The number must be exactly a valid E.164 number (as the dialplan sends it), of a type and range the policy allows.
 * A range the operator blocked is refused as blocked even when the number library does not know it.
 */
export function checkDestination(to: string, policy: DestinationPolicy = defaultDestinationPolicy, companyId?: number): DestinationCheck {
  if (!/^\+[1-9][0-9]{7,14}$/.test(to)) return { ok: false, reason: "invalid_number" };
  if (companyId !== undefined && policy.blocks?.isBlocked(companyId, to) === true) return { ok: false, reason: "destination_blocked" };
  const parsed = parsePhoneNumberFromString(to);
  if (parsed === undefined || parsed.number !== to || !parsed.isValid()) return { ok: false, reason: "invalid_number" };
  const type = parsed.getType();
  if (type !== undefined && policy.blockedTypes.has(type)) return { ok: false, reason: "destination_blocked" };
  if (policy.blockedPrefixes.some((prefix) => to.startsWith(prefix))) return { ok: false, reason: "destination_blocked" };
  return { ok: true };
}
