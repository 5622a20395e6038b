import { checkEmergency } from "./emergency";
import { normalizeNumber, type NumberProblem } from "./normalize";

export type DialProblem = NumberProblem | "emergency";

export type DialCheck = { ok: true; e164: string } | { ok: false; problem: DialProblem };

/** Strict E.164, the only form the softphone ever puts in a SIP URI (same rule as the PBX dialplan). */
export const dialableE164 = /^\+[1-9][0-9]{7,14}$/;

/**
 * The last word before a number is dialed: emergency numbers are refused
 * ("use a phone"), then the number must normalize to strict E.164. Whatever
 * else the user typed or a link carried (`&`, `,`, `;`, line breaks, letters,
 * SIP URI parameters) never reaches the INVITE.
 */
export function checkDialable(input: string, country: string): DialCheck {
  if (checkEmergency(input, country).emergency) return { ok: false, problem: "emergency" };
  const normalized = normalizeNumber(input, country);
  if (!normalized.ok) return normalized;
  if (!dialableE164.test(normalized.e164)) return { ok: false, problem: "invalid" };
  if (checkEmergency(normalized.e164, country).emergency) return { ok: false, problem: "emergency" };
  return { ok: true, e164: normalized.e164 };
}
