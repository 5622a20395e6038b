import type { Knex } from "knex";
import { decideCall } from "../../src-shared/credits/decide-call";
import { basisOf, judgeCallingHours, type CallingHoursVerdict } from "../../src-shared/dialer/calling-hours";
import type { PrecheckResult } from "../../src-shared/server-api/dialer";
import { checkDestination, type DestinationPolicy } from "../calls/destination-policy";
import type { CreditsRuntime } from "../credits/credits-runtime";
import { readCallBalance } from "../credits/reservation-repo";
import { findUserCaller } from "../db/pbx-endpoints-repo";
import { readCallingHours } from "./calling-hours-repo";

export interface PrecheckInput {
  userId: number;
  companyId: number;
  numbers: readonly string[];
  now: number;
}

/**
 * What authorize would answer for each number as things stand (the same
 * `decideCall` on the same facts, without claiming a hold), then the
 * company's calling hours in the number's zone (see `judgeCallingHours`). Nothing is written: the
 * call's own authorize still decides, and may refuse what this let through.
 */
export async function precheckNumbers(db: Knex, credits: CreditsRuntime, policy: DestinationPolicy, input: PrecheckInput): Promise<PrecheckResult[]> {
  const caller = (await findUserCaller(db, input.userId)) ?? null;
  await credits.prepare(input.now);
  const [balance, hours] = await Promise.all([readCallBalance(db, input.companyId), readCallingHours(db, input.companyId)]);
  // A queue's numbers are mostly in a few zones: each zone's (or strict region's) hours are judged once.
  const byZone = new Map<string, CallingHoursVerdict>();
  return input.numbers.map((number): PrecheckResult => {
    const decided = decideCall({
      caller,
      destination: checkDestination(number, policy, input.companyId),
      balance,
      rate: credits.rateNow(number, input.now)?.row ?? null,
      trialCapSeconds: credits.trialCapSeconds,
      wantsRecording: true,
    });
    if (decided.result === "deny") {
      const reason = decided.reason;
      const verdict = reason === "invalid_number" || reason === "destination_blocked" || reason === "no_credit" || reason === "caller_not_enabled" || reason === "number_not_verified" ? reason : "caller_not_enabled";
      return { number, verdict };
    }
    const { basis } = basisOf(number);
    const key = basis.kind === "own_zone" ? basis.zone : `all:${basis.region ?? ""}`;
    let judged = byZone.get(key);
    if (judged === undefined) {
      judged = judgeCallingHours(hours, number, input.now);
      byZone.set(key, judged);
    }
    if (judged.ok) return { number, verdict: "ok" };
    return { number, verdict: judged.basis.kind === "own_zone" ? "outside_calling_hours" : "outside_calling_hours_all_zones", opensAt: judged.opensAt };
  });
}
