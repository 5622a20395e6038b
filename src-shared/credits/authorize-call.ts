import { CallerError } from "../errors";
import { planIncludesCaller } from "../domain/company";
import type { Plan } from "../domain/company";
import { callCostMicros, maxSecondsAffordable } from "./cost";
import type { CostRow } from "./cost";
import { assertMicros } from "./micros";

/** Named as the dialplan's refusal reasons (pbx-config/README.md), which map them to Q.850 causes. */
export const callRefusals = ["caller_not_enabled", "destination_blocked", "no_credit"] as const;
export type CallRefusal = (typeof callRefusals)[number];

/** What set a call's limit, so the call screen can word its warning before the cut. */
export const callLimits = ["balance", "trial_cap", "company_max", "pbx_max"] as const;
export type CallLimit = (typeof callLimits)[number];

export const trialCallCapSeconds = 600;
/** The dialplan accepts maxSeconds 1–999999. */
export const pbxMaxSeconds = 999_999;

export interface CallBalance {
  bonusMicros: number;
  purchasedMicros: number;
  /** Held by calls in progress on the same balance. */
  reservedMicros: number;
}

export interface AuthorizeCallInput {
  plan: Plan;
  isTrial: boolean;
  callerEnabled: boolean;
  balance: CallBalance;
  /** The tariff row the rater found for the number now, or null. */
  row: CostRow | null;
  trialCapSeconds?: number;
  companyMaxSeconds?: number | null;
}

export type CallAuthorization =
  | {
      ok: true;
      maxSeconds: number;
      limitedBy: CallLimit;
      /** The cost of the call if it runs to maxSeconds: what to reserve while it lasts. */
      reserveMicros: number;
    }
  | { ok: false; reason: CallRefusal };

function positiveSeconds(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new CallerError("bad_request", `${what} must be a whole number of seconds ≥ 1, got ${String(value)}`);
  return value;
}

/**
 * May this call start, and for how long at most? Refused when Caller is off
 * for the plan or the user, when no tariff row covers the number, and when the
 * balance minus reservations is zero or less, or cannot pay the connection fee
 * and the first increment — a free destination does not let a company at zero
 * credit call.
 */
export function authorizeCall(input: AuthorizeCallInput): CallAuthorization {
  const { balance, row } = input;
  const trialCap = positiveSeconds(input.trialCapSeconds ?? trialCallCapSeconds, "trial cap");
  const companyMax = input.companyMaxSeconds == null ? null : positiveSeconds(input.companyMaxSeconds, "company maximum");
  const available =
    assertMicros(balance.bonusMicros, "bonus balance") +
    assertMicros(balance.purchasedMicros, "purchased balance") -
    assertMicros(balance.reservedMicros, "reserved credit");

  if (!planIncludesCaller(input.plan) || !input.callerEnabled) return { ok: false, reason: "caller_not_enabled" };
  if (row === null) return { ok: false, reason: "destination_blocked" };
  const affordable = available > 0 ? maxSecondsAffordable(available, row) : 0;
  if (affordable === 0) return { ok: false, reason: "no_credit" };

  // On a tie the earlier limit names the cause: the balance first.
  const limits: [number, CallLimit][] = [[affordable, "balance"]];
  if (input.isTrial) limits.push([trialCap, "trial_cap"]);
  if (companyMax !== null) limits.push([companyMax, "company_max"]);
  limits.push([pbxMaxSeconds, "pbx_max"]);
  const [maxSeconds, limitedBy] = limits.reduce((least, limit) => (limit[0] < least[0] ? limit : least));
  return { ok: true, maxSeconds, limitedBy, reserveMicros: callCostMicros(maxSeconds, row) };
}
