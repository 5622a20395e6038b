import type { Knex } from "knex";
import { assertNever } from "../../src-shared/assert-never";
import { CallerError } from "../../src-shared/errors";
import { refusalReasons, type RefusalReason } from "../../src-shared/server-api/calls";
import { callCostMicros } from "../../src-shared/credits/cost";
import { decideCall, type CallDecision } from "../../src-shared/credits/decide-call";
import { reservationMarginMs, type CreditsRuntime } from "../credits/credits-runtime";
import type { DeferredHold } from "../credits/hold-claims";
import { writeHold } from "../credits/reservation-repo";
import { findCallAuthorization, type CallAuthorizationFacts } from "../db/calls-repo";
import { findEndpointCaller, type EndpointCaller } from "../db/pbx-endpoints-repo";
import { newCallFields, type CallFields } from "./call-fields";
import { nextCallStatus } from "./call-status";
import { checkDestination, type DestinationPolicy } from "./destination-policy";
import { saveCall } from "./save-call";

/** What the dialplan sends (pbx-config/README.md): the caller's endpoint, the E.164 number, the call's UNIQUEID. */
export interface AuthorizeRequest {
  endpoint: string;
  to: string;
  uniqueid: string;
  /** The softphone's own id for the call (X-Caller-Call-Id), null when absent or malformed. */
  clientCallId: string | null;
  /** The softphone's per-call choice (X-Caller-Record, `record=` from the dialplan); absent: on. */
  wantsRecording?: boolean;
}

export type AuthorizeAnswer = CallDecision;

const deny = (reason: RefusalReason): AuthorizeAnswer => ({ result: "deny", reason });

/** The answer body the dialplan reads with HASH(): key=value pairs, values URL-encoded. */
export function formatAnswer(answer: AuthorizeAnswer): string {
  const pairs: [string, string][] =
    answer.result === "allow"
      ? [["result", "allow"], ["callerid", answer.callerId], ["maxSeconds", String(answer.maxSeconds)], ["record", answer.record ? "1" : "0"], ...(answer.announce ? [["announce", "1"] as [string, string]] : [])]
      : [["result", "deny"], ["reason", answer.reason]];
  return pairs.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join("&");
}

/** The call row an authorize leaves behind (status authorized or refused); plain data, for the durable writer. */
export interface AuthorizationRecord {
  fields: CallFields;
  event: "allowed" | "denied";
  /** A hold claimed in this process (SQLite): its row is written in the same commit, before the record. */
  hold: DeferredHold | null;
}

export interface AuthorizeOutcome {
  answer: AuthorizeAnswer;
  /** Written by the route once the answer has left (it does not hold up the PBX); null: no known caller, or a repeat. */
  record: AuthorizationRecord | null;
  /** Set when the uniqueid was authorized before for another caller or number: refused, the first call left as it was. */
  mismatchedRepeat?: true;
}

const isRefusalReason = (reason: string | null): reason is RefusalReason => (refusalReasons as readonly (string | null)[]).includes(reason);

/**
 * A uniqueid asked about again. Another caller or number under it is refused
 * (its first answer, hold and record stay as they were): one PBX call is one
 * authorization. The same caller and number get the same kind of answer: a
 * refusal again (a call refused once is never let through under the same id,
 * which its record could not bill), an allowed call still in progress decided
 * again; an ended one is over and refused. null: decide as for a new call.
 */
function repeatAnswer(first: CallAuthorizationFacts, caller: EndpointCaller | undefined, to: string): AuthorizeOutcome | null {
  if (caller?.userId !== first.userId || first.number !== to.slice(0, 64)) return { answer: deny("denied"), record: null, mismatchedRepeat: true };
  switch (first.status) {
    case "authorized":
      return null;
    case "refused":
      return { answer: deny(isRefusalReason(first.refusalReason) ? first.refusalReason : "denied"), record: null };
    case "ended":
      return { answer: deny("denied"), record: null };
    default:
      return assertNever(first.status, "call status");
  }
}

const noBalance = { bonusMicros: 0, purchasedMicros: 0, reservedMicros: 0 };

/**
 * Decides on the balance less every hold already claimed, and claims the
 * call's hold (credits/hold-claims.ts): on PostgreSQL one conditional update,
 * decided again when another server took the credit meanwhile; on SQLite in
 * this process, its row written with the call's record. Then prepares the
 * call's record for its CDR, the app's quality report and the history.
 */
export async function authorizeCall(
  db: Knex,
  credits: CreditsRuntime,
  request: AuthorizeRequest,
  now: number,
  policy: DestinationPolicy,
  /** Authorizations answered whose records are not committed yet (the route's), by uniqueid. */
  unsaved?: ReadonlyMap<string, CallAuthorizationFacts>,
): Promise<AuthorizeOutcome> {
  const caller = await findEndpointCaller(db, request.endpoint);
  const first = unsaved?.get(request.uniqueid) ?? (await findCallAuthorization(db, request.uniqueid));
  const repeat = first === undefined ? null : repeatAnswer(first, caller, request.to);
  if (repeat !== null) return repeat;
  if (caller === undefined) return { answer: decideCall({ caller: null, destination: { ok: true }, balance: noBalance, rate: null, trialCapSeconds: credits.trialCapSeconds, wantsRecording: true }), record: null };
  await credits.prepare(now);
  // Asked again for the same call: the new answer replaces its hold.
  if (first !== undefined) await credits.releaseHold(caller.companyId, request.uniqueid, now);
  const rated = credits.rateNow(request.to, now);
  // Every fact but the balance is read once; the balance is read where the hold is claimed.
  const facts = { caller, destination: checkDestination(request.to, policy, caller.companyId), rate: rated?.row ?? null, trialCapSeconds: credits.trialCapSeconds, wantsRecording: request.wantsRecording ?? true };
  const { decision: answer, hold, deferred } = await credits.holds.claim<AuthorizeAnswer>(
    caller.companyId,
    (balance) => {
      const decided = decideCall({ ...facts, balance });
      if (decided.result === "deny") return { decision: decided, hold: null };
      const untilMs = now + decided.maxSeconds * 1000 + reservationMarginMs;
      return { decision: decided, hold: { pbxUniqueid: request.uniqueid, companyId: caller.companyId, micros: rated === null ? 0 : callCostMicros(decided.maxSeconds, rated.row), tariffVersion: rated?.version ?? null, untilMs } };
    },
    deny("no_credit"),
    now,
  );
  if (hold !== null && rated !== null) credits.pinRater(request.uniqueid, rated.version, hold.untilMs);
  const event = answer.result === "allow" ? "allowed" : "denied";
  const fields = newCallFields({
    companyId: caller.companyId,
    userId: caller.userId,
    pbxUniqueid: request.uniqueid,
    clientCallId: request.clientCallId,
    number: request.to.slice(0, 64),
    status: nextCallStatus(null, event),
    startedAt: now,
    refusalReason: answer.result === "deny" ? answer.reason : null,
  });
  return { answer, record: { fields, event, hold: deferred } };
}

/**
 * Inside `trx`: writes the record unless the uniqueid has one already
 * (authorizing twice keeps the first; a CDR that came first wins).
 */
export async function saveAuthorization(trx: Knex.Transaction, record: AuthorizationRecord, now: number): Promise<void> {
  if (record.hold !== null) await writeHold(trx, record.hold, now);
  try {
    await saveCall(trx, record.fields.pbxUniqueid, (existing) => (existing === undefined ? record.fields : null), now);
  } catch (error) {
    if (!(error instanceof CallerError && error.code === "conflict")) throw error;
  }
}
