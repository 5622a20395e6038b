import { randomUUID } from "node:crypto";
import type { Knex } from "knex";
import { recordingDecision, type RecordingPolicy } from "../../src-shared/credits/decide-call";
import { saveAuthorization, type AuthorizationRecord } from "../calls/authorize";
import { newCallFields } from "../calls/call-fields";
import { nextCallStatus } from "../calls/call-status";
import { findServableEndpointsOfUsers } from "../db/pbx-endpoints-repo";
import { advanceGroupCursor, awayUserIds, findGroup, findNumber, noteInboundNumber, type GroupRecord, type NumberRecord } from "./inbound-repo";

/** What [from-trunk] sends: the number dialed on the trunk, the caller's number (may be empty: withheld), the call's UNIQUEID. */
export interface InboundRequest {
  did: string;
  from: string;
  uniqueid: string;
}

export type InboundRefusal = "unassigned_number" | "invalid_number";

/**
 * `ring`: Dial these endpoints, all at once (`all`) or one after another
 * (`sequence`: round-robin's order, a decline or no answer moves on), then
 * voicemail; `callId` (the record's client call id) goes on each INVITE, so
 * the app that answers names the call as the server does (a transfer needs it).
 * `voicemail`: nobody can be rung now (everyone away), straight to it.
 */
export type InboundAnswer =
  | { result: "ring"; mode: "all" | "sequence"; endpoints: string[]; ringSeconds: number; record: boolean; announce: boolean; callId: string }
  | { result: "voicemail"; record: boolean; announce: boolean }
  | { result: "deny"; reason: InboundRefusal };

/** The facts read for one DID, decided on without I/O. */
export interface InboundFacts {
  number: NumberRecord;
  /** The users the number rings, in ring order (a group's from its round-robin cursor). */
  targets: readonly number[];
  strategy: "single" | "ring_all" | "round_robin";
  away: ReadonlySet<number>;
  /** Each target user's servable endpoint (no entry: cannot be rung: revoked, not entitled, never signed in). */
  endpoints: ReadonlyMap<number, string>;
  recording: RecordingPolicy | null;
  /** The client call id the call's record gets. */
  callId: string;
}

export const e164 = /^\+[1-9][0-9]{7,14}$/;

/** Who is rung, in what order, and whether the company's recording policy records and announces the call. */
export function decideInbound(facts: InboundFacts): Exclude<InboundAnswer, { result: "deny" }> {
  // The caller has no per-call choice before anyone answers: the company's default applies, as for a user who left it on.
  const { record, announce } = facts.recording === null ? { record: false, announce: false } : recordingDecision(facts.recording, true);
  const endpoints = facts.targets.filter((userId) => !facts.away.has(userId)).flatMap((userId) => facts.endpoints.get(userId) ?? []);
  if (endpoints.length === 0) return { result: "voicemail", record, announce };
  return { result: "ring", mode: facts.strategy === "round_robin" ? "sequence" : "all", endpoints, ringSeconds: facts.number.ringSeconds, record, announce, callId: facts.callId };
}

/** The answer body [from-trunk] reads with HASH(): key=value pairs, values URL-encoded. */
export function formatInboundAnswer(answer: InboundAnswer): string {
  const pairs: [string, string][] =
    answer.result === "deny"
      ? [["result", "deny"], ["reason", answer.reason]]
      : [
          ["result", answer.result],
          ...(answer.result === "ring"
            ? ([["mode", answer.mode], ["endpoints", answer.endpoints.join(",")], ["ringSeconds", String(answer.ringSeconds)], ["callId", answer.callId]] as [string, string][])
            : []),
          ["record", answer.record ? "1" : "0"],
          ["announce", answer.announce ? "1" : "0"],
        ];
  return pairs.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join("&");
}

function ringOrder(group: GroupRecord): number[] {
  if (group.strategy !== "round_robin" || group.memberIds.length === 0) return group.memberIds;
  const start = group.nextIndex % group.memberIds.length;
  return [...group.memberIds.slice(start), ...group.memberIds.slice(0, start)];
}

export interface InboundOutcome {
  answer: InboundAnswer;
  /** The call's row (direction inbound), for the route to write once the answer has left; null when refused. */
  record: AuthorizationRecord | null;
}

/**
 * Routes one call arriving on the trunk. A DID no company owns, or one owned
 * but pointing nowhere, is refused and leaves nothing behind. A call that is
 * routed gets its row, owned by the number's user (a group's first in ring
 * order, until the CDR names who answered: cdr-ingest), and moves a
 * round-robin group's cursor on.
 */
export async function routeInbound(db: Knex, request: InboundRequest, now: number): Promise<InboundOutcome> {
  if (!e164.test(request.did)) return { answer: { result: "deny", reason: "invalid_number" }, record: null };
  const number = await findNumber(db, request.did);
  if (number === undefined) return { answer: { result: "deny", reason: "unassigned_number" }, record: null };
  const group = number.groupId === null ? undefined : await findGroup(db, number.companyId, number.groupId);
  const targets = group !== undefined ? ringOrder(group) : number.userId !== null ? [number.userId] : [];
  const owner = targets[0];
  if (owner === undefined) return { answer: { result: "deny", reason: "unassigned_number" }, record: null };
  const [away, callers] = await Promise.all([awayUserIds(db, targets), findServableEndpointsOfUsers(db, targets)]);
  const endpoints = new Map(callers.filter((c) => c.companyId === number.companyId).map((c) => [c.userId, c.endpointId]));
  const callId = randomUUID();
  const answer = decideInbound({
    callId,
    number,
    targets,
    strategy: group === undefined ? "single" : group.strategy,
    away,
    endpoints,
    recording: callers[0]?.recording ?? null,
  });
  if (group !== undefined && group.strategy === "round_robin") await advanceGroupCursor(db, group.id, group.nextIndex, group.memberIds.length);
  const fields = {
    ...newCallFields({ companyId: number.companyId, userId: owner, pbxUniqueid: request.uniqueid, clientCallId: callId, number: request.from, status: nextCallStatus(null, "allowed"), startedAt: now, refusalReason: null }),
    direction: "inbound" as const,
  };
  return { answer, record: { fields, event: "allowed", hold: null } };
}

/** Inside `trx`: the inbound call's row, as an authorized outbound one is written, and the number it came in on. */
export async function saveInboundCall(trx: Knex.Transaction, input: { record: AuthorizationRecord; did: string; now: number }): Promise<void> {
  await saveAuthorization(trx, input.record, input.now);
  await noteInboundNumber(trx, input.record.fields.pbxUniqueid, input.did);
}
