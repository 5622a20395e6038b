import type { Knex } from "knex";
import { CallerError } from "../../src-shared/errors";
import { findCompanyInboundCall, findUserCallByClientId } from "../db/calls-repo";
import { findServableEndpoint } from "../db/pbx-endpoints-repo";
import { getUser } from "../db/users-repo";
import type { CallChannels } from "../calls/call-channels";
import { answeringEndpoint } from "../inbound/inbound-answerer";
import { insertConsult } from "./consults-repo";
import { headerSafe } from "./call-transfers";
import { teammateTarget } from "./teammates";

/** What [transfer-consult] sends: the user's endpoint and channel, the teammate asked for, and the two calls' client ids. */
export interface ConsultRequest {
  endpoint: string;
  toUserId: number;
  uniqueid: string;
  /** The consultation's own id (X-Caller-Call-Id). */
  clientCallId: string;
  /** The answered call the user consults about (X-Caller-Consult-For). */
  forCallId: string;
}

/** `allow`: ring this endpoint, showing `from` (the other party's number) and `by` (the user, URI-encoded for the SIP header). */
export type ConsultAnswer = { result: "allow"; endpoint: string; from: string; by: string } | { result: "deny"; reason: "denied" | "not_in_call" };

/**
 * Whether the user on `endpoint` may ring a teammate to consult before an
 * attended transfer: the same teammate rules as a blind transfer (same
 * company, an endpoint the PBX may serve), and only about an answered call
 * of theirs that is live on the PBX. Allowed consultations are recorded, so
 * completing one finds its channel. The leg never reaches a trunk: no
 * authorize of a number, no charge.
 */
export async function allowConsult(db: Knex, channels: CallChannels | null, request: ConsultRequest, now: number): Promise<ConsultAnswer> {
  const caller = await findServableEndpoint(db, request.endpoint);
  if (caller === undefined) return { result: "deny", reason: "denied" };
  const first = (await findUserCallByClientId(db, caller.userId, request.forCallId)) ?? (await findCompanyInboundCall(db, caller.companyId, request.forCallId));
  const live = first?.status === "authorized" ? channels?.live(first.pbxUniqueid) : undefined;
  // A call a teammate handed to this user is not transferred on (call-transfers.ts): nobody is rung to consult about it.
  if (first === undefined || first.transferredBy != null || live === undefined || live.answeredAt === null) return { result: "deny", reason: "not_in_call" };
  // An incoming call's channels are the other way round: the line that answered it (Dial's far channel) must be this endpoint.
  if (first.direction === "inbound" && answeringEndpoint({ destinationChannel: live.far?.channel ?? "", disposition: "ANSWERED" }) !== request.endpoint) return { result: "deny", reason: "not_in_call" };
  let target: Awaited<ReturnType<typeof teammateTarget>>;
  try {
    target = await teammateTarget(db, { companyId: caller.companyId, userId: caller.userId }, request.toUserId);
  } catch (error) {
    if (error instanceof CallerError && error.code === "transfer_refused") return { result: "deny", reason: "denied" };
    throw error;
  }
  await insertConsult(db, { companyId: caller.companyId, userId: caller.userId, toUserId: target.userId, callId: first.id, clientCallId: request.clientCallId, pbxUniqueid: request.uniqueid, createdAt: now });
  const by = (await getUser(db, caller.companyId, caller.userId))?.name ?? "";
  return { result: "allow", endpoint: target.endpointId, from: first.number, by: headerSafe(by) };
}

/** As the dialplan's CURL(hashcompat) reads it: each value URI-encoded (so `by` arrives still encoded once). */
export function formatConsultAnswer(answer: ConsultAnswer): string {
  const pairs: [string, string][] = answer.result === "deny" ? [["result", "deny"], ["reason", answer.reason]] : [["result", "allow"], ["endpoint", answer.endpoint], ["from", answer.from], ["by", answer.by]];
  return pairs.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join("&");
}
