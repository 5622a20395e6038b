import { planIncludesCaller, type Plan, type Role } from "../domain/company";
import type { RecordingSourceKind } from "../server-api/recordings";
import type { RefusalReason } from "../server-api/calls";
import { authorizeCall, type CallAuthorization, type CallBalance } from "./authorize-call";
import type { CostRow } from "./cost";

/** The company's recording policy as authorize reads it. */
export interface RecordingPolicy {
  enabled: boolean;
  enforced: boolean;
  consentAnnouncement: boolean;
  source?: RecordingSourceKind;
}

/** Who is calling, as read for the endpoint. */
export interface CallerFacts {
  revoked: boolean;
  plan: Plan;
  role: Role;
  callerEnabled: boolean;
  isTrial: boolean;
  /** The company's per-call limit, in seconds (0 or less: no call time at all). */
  maxCallSeconds: number;
  verifiedNumber: string | null;
  recording: RecordingPolicy;
}

/** Everything authorize decides on, read before the decision: no I/O happens in it. */
export interface CallFacts {
  /** null: no endpoint by that id. */
  caller: CallerFacts | null;
  /** The destination policy's and the operator's blocks' verdict on the number. */
  destination: { ok: true } | { ok: false; reason: "invalid_number" | "destination_blocked" };
  /** Buckets less every hold already claimed. */
  balance: CallBalance;
  /** The tariff row for the number now, or null (no rate: blocked). */
  rate: CostRow | null;
  trialCapSeconds: number;
  /** The softphone's per-call choice (X-Caller-Record); on unless it said no. */
  wantsRecording: boolean;
}

export type CallDecision =
  | { result: "allow"; callerId: string; maxSeconds: number; record: boolean; announce: boolean }
  | { result: "deny"; reason: RefusalReason };

/**
 * Recorded when the company records and the user did not turn it off (or it
 * is enforced). `record` tells the PBX to run MixMonitor, so it is off when
 * the desktop records; the consent notice is still asked for, since the call
 * is recorded all the same.
 */
export function recordingDecision(settings: RecordingPolicy, userWantsRecording: boolean): { record: boolean; announce: boolean } {
  const recorded = settings.enabled && (settings.enforced || userWantsRecording);
  return { record: recorded && settings.source !== "desktop", announce: recorded && settings.consentAnnouncement };
}

/** The longest the call may last (balance at the rate, trial cap, company limit), or why it may not start. */
export function callLimit(company: { plan: Plan; isTrial: boolean; maxCallSeconds: number }, facts: Pick<CallFacts, "balance" | "rate" | "trialCapSeconds">): CallAuthorization {
  // A company allowed no call time at all has nothing to spend on calls.
  if (company.maxCallSeconds <= 0) return { ok: false, reason: "no_credit" };
  return authorizeCall({
    plan: company.plan,
    isTrial: company.isTrial,
    callerEnabled: true,
    balance: facts.balance,
    row: facts.rate,
    trialCapSeconds: facts.trialCapSeconds,
    companyMaxSeconds: company.maxCallSeconds,
  });
}

/** The decision alone, in the order the app explains it: who may call, what, as whom, for how long, recorded or not. */
export function decideCall(facts: CallFacts): CallDecision {
  const { caller } = facts;
  if (caller === null || caller.revoked || !planIncludesCaller(caller.plan) || !(caller.role === "admin" || caller.callerEnabled)) return { result: "deny", reason: "caller_not_enabled" };
  if (!facts.destination.ok) return { result: "deny", reason: facts.destination.reason };
  if (caller.verifiedNumber === null) return { result: "deny", reason: "number_not_verified" };
  const limit = callLimit(caller, facts);
  if (!limit.ok) return { result: "deny", reason: limit.reason };
  const { record, announce } = recordingDecision(caller.recording, facts.wantsRecording);
  return { result: "allow", callerId: caller.verifiedNumber, maxSeconds: limit.maxSeconds, record, announce };
}
