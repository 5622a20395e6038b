import type { Knex } from "knex";
import { planIncludesCaller } from "../../src-shared/domain/company";
import { CallerError } from "../../src-shared/errors";
import type { RefusalReason } from "../../src-shared/server-api/calls";
import { findEndpointCaller, type EndpointCaller } from "../db/pbx-endpoints-repo";
import { mayUseCaller } from "../db/users-repo";
import { newCallFields, type CallFields } from "./call-fields";
import { nextCallStatus } from "./call-status";
import { checkDestination, type DestinationPolicy } from "./destination-policy";
import { maxSecondsFor } from "./max-seconds";
import { saveCall } from "./save-call";

/** What the dialplan sends (pbx-config/README.md): the caller's endpoint, the E.164 number, the call's UNIQUEID. */
export interface AuthorizeRequest {
  endpoint: string;
  to: string;
  uniqueid: string;
  /** The softphone's own id for the call (X-Caller-Call-Id), null when absent or malformed. */
  clientCallId: string | null;
}

export type AuthorizeAnswer =
  | { result: "allow"; callerId: string; maxSeconds: number; record: boolean }
  | { result: "deny"; reason: RefusalReason };

const deny = (reason: RefusalReason): AuthorizeAnswer => ({ result: "deny", reason });

/** The decision alone, in the order the app explains it: who may call, what, as whom, for how long. */
export function decideCall(caller: EndpointCaller | undefined, to: string, policy: DestinationPolicy): AuthorizeAnswer {
  if (caller === undefined || caller.revoked || !planIncludesCaller(caller.plan) || !mayUseCaller(caller)) return deny("caller_not_enabled");
  const destination = checkDestination(to, policy);
  if (!destination.ok) return deny(destination.reason);
  if (caller.verifiedNumber === null) return deny("number_not_verified");
  const maxSeconds = Math.floor(maxSecondsFor({ company: caller, userId: caller.userId, to }));
  if (maxSeconds <= 0) return deny("no_credit");
  // Recording policy comes with the recordings issue; until then no call is recorded.
  return { result: "allow", callerId: caller.verifiedNumber, maxSeconds, record: false };
}

/** The answer body the dialplan reads with HASH(): key=value pairs, values URL-encoded. */
export function formatAnswer(answer: AuthorizeAnswer): string {
  const pairs: [string, string][] =
    answer.result === "allow"
      ? [["result", "allow"], ["callerid", answer.callerId], ["maxSeconds", String(answer.maxSeconds)], ["record", answer.record ? "1" : "0"]]
      : [["result", "deny"], ["reason", answer.reason]];
  return pairs.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join("&");
}

/** The call row an authorize leaves behind (status authorized or refused); plain data, for the durable writer. */
export interface AuthorizationRecord {
  fields: CallFields;
  event: "allowed" | "denied";
}

export interface AuthorizeOutcome {
  answer: AuthorizeAnswer;
  /** Written by the route once the answer has left (it does not hold up the PBX); null: no known caller. */
  record: AuthorizationRecord | null;
}

/** Decides (one read) and prepares the call's record for its CDR, the app's quality report and the history to find. */
export async function authorizeCall(db: Knex, request: AuthorizeRequest, now: number, policy: DestinationPolicy): Promise<AuthorizeOutcome> {
  const caller = await findEndpointCaller(db, request.endpoint);
  const answer = decideCall(caller, request.to, policy);
  if (caller === undefined) return { answer, record: null };
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
  return { answer, record: { fields, event } };
}

/**
 * Inside `trx`: writes the record unless the uniqueid has one already
 * (authorizing twice keeps the first; a CDR that came first wins).
 */
export async function saveAuthorization(trx: Knex.Transaction, record: AuthorizationRecord, now: number): Promise<void> {
  try {
    await saveCall(trx, record.fields.pbxUniqueid, (existing) => (existing === undefined ? record.fields : null), now);
  } catch (error) {
    if (!(error instanceof CallerError && error.code === "conflict")) throw error;
  }
}
