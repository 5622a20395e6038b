import type { Knex } from "knex";
import { chargeCall, priceCall, pricingAt } from "../credits/call-charge";
import { noEffects, type CreditEffects } from "../credits/credit-effects";
import type { RaterCache } from "../credits/rater-cache";
import type { WriteContext } from "../db/writer/write-context";
import { listOpenCalls, setLiveAnsweredAt } from "../db/calls-repo";
import { getPbxLiveness, markPbxLost, markPbxSeen, savePbxLiveness } from "../db/pbx-liveness-repo";
import type { CallRecord } from "../db/calls-repo";
import type { CallFields } from "./call-fields";
import { nextCallStatus } from "./call-status";
import { saveCall } from "./save-call";

/**
 * FullyBooted's Uptime is in whole seconds, so an Asterisk's start is known to
 * within a second (plus the event's trip): a call authorized less than this
 * before the start we computed may still be one of its own, and is left alone.
 */
export const startToleranceMs = 1_500;

/**
 * Whether a uniqueid is one this Asterisk made: `<SystemName>-<epoch>.<sequence>`
 * (just `<epoch>.<sequence>` without a SystemName). Other Asterisks' calls, in the
 * same database, are not closed when this one is lost.
 */
export function madeBy(systemName: string, uniqueid: string): boolean {
  const prefix = systemName === "" ? "" : `${systemName}-`;
  return uniqueid.startsWith(prefix) && /^[0-9]+\.[0-9]+$/.test(uniqueid.slice(prefix.length));
}

/**
 * The call as the server closes it: ended at `lostAt` (the last sign of life of
 * its Asterisk), billed in whole seconds from the answer AMI reported until then,
 * as Asterisk's own billsec counts; never answered (still ringing), or no answer
 * seen, it costs nothing.
 */
export function interruptedCall(call: CallFields, lostAt: number | null): CallFields {
  const endedAt = Math.max(call.startedAt, lostAt ?? call.startedAt);
  const answeredAt = call.liveAnsweredAt !== null && call.liveAnsweredAt <= endedAt ? call.liveAnsweredAt : null;
  return {
    ...call,
    status: nextCallStatus(call.status, "pbx-lost"),
    interrupted: true,
    answeredAt,
    endedAt,
    billedSeconds: answeredAt === null ? 0 : Math.floor((endedAt - answeredAt) / 1000),
  };
}

async function interrupt(trx: Knex.Transaction, raters: RaterCache, call: CallRecord, lostAt: number | null, now: number, effects: CreditEffects): Promise<boolean> {
  // Received calls (inbound, a teammate's transferred leg) are not priced, as on the CDR path.
  const pricing = call.direction === "inbound" ? null : await pricingAt(trx, raters, call.startedAt);
  const { outcome, record } = await saveCall(
    trx,
    call.pbxUniqueid,
    (existing) => (existing?.status === "authorized" && existing.endedAt === null ? priceCall(interruptedCall(existing, lostAt), pricing) : null),
    now,
  );
  if (record === undefined || outcome === "ignored") return false;
  // The one charging path (idempotent on the uniqueid); it also releases the call's reservation.
  await chargeCall(trx, record, pricing, now, effects);
  return true;
}

export interface PbxSession {
  systemName: string;
  /** When this Asterisk process started, on the server's clock (FullyBooted's Uptime back from its arrival). */
  startedAt: number;
}

/**
 * The durable writer's op for a new AMI session: every call still open that was
 * authorized before this Asterisk started was carried by an earlier one, which is
 * gone with its channels (and no CDR will ever come): it is closed as interrupted
 * and charged up to when that Asterisk was lost. A reconnect to the same Asterisk
 * finds no such call. Then this Asterisk is remembered as started and seen now.
 */
export async function startPbxSessionOp(
  trx: Knex.Transaction,
  input: { session: PbxSession; now: number },
  ctx: WriteContext,
): Promise<{ interrupted: string[]; previousStartedAt: number | null; credits: CreditEffects }> {
  const { session, now } = input;
  const credits = noEffects();
  const known = await getPbxLiveness(trx, session.systemName);
  // Lost while this server watched it; else (the server was down then) the last time it was seen.
  const lostAt = known === undefined ? null : (known.lostAt ?? known.seenAt);
  const interrupted: string[] = [];
  for (const call of await listOpenCalls(trx, session.startedAt - startToleranceMs)) {
    if (!madeBy(session.systemName, call.pbxUniqueid)) continue;
    if (await interrupt(trx, ctx.raters, call, lostAt, now, credits)) interrupted.push(call.pbxUniqueid);
  }
  await savePbxLiveness(trx, { systemName: session.systemName, startedAt: session.startedAt, seenAt: now, lostAt: null }, now);
  return { interrupted, previousStartedAt: known?.startedAt ?? null, credits };
}

/** The AMI connection to this Asterisk dropped; `lostAt` is its last sign of life. */
export async function pbxLostOp(trx: Knex.Transaction, input: { systemName: string; lostAt: number; now: number }): Promise<void> {
  await markPbxSeen(trx, input.systemName, input.lostAt, input.now);
  await markPbxLost(trx, input.systemName, input.lostAt, input.now);
}

/** Still alive at `seenAt`: the bound an interrupted call is billed to if the server was down when its Asterisk died. */
export async function pbxSeenOp(trx: Knex.Transaction, input: { systemName: string; seenAt: number; now: number }): Promise<void> {
  await markPbxSeen(trx, input.systemName, input.seenAt, input.now);
}

/** Answers AMI reported (DialEnd ANSWER), by uniqueid; a call not (yet) recorded or already ended is skipped. */
export async function recordAnswersOp(trx: Knex.Transaction, input: { answers: { uniqueid: string; at: number }[] }): Promise<number> {
  let recorded = 0;
  for (const { uniqueid, at } of input.answers) if (await setLiveAnsweredAt(trx, uniqueid, at)) recorded += 1;
  return recorded;
}
