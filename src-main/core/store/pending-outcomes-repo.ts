import type { Knex } from "knex";
import type { PendingOutcome } from "../../../src-shared/api/areas/company";

interface PendingRow {
  client_call_id: string;
  user_id: number;
  number: string;
  ended_at: number;
  outcome_id: number | null;
  notes: string;
  idempotency_key: string | null;
  last_error: string | null;
  attempts: number;
}

export interface QueuedOutcome {
  clientCallId: string;
  outcomeId: number;
  notes: string;
  idempotencyKey: string;
}

function toPending(row: PendingRow): PendingOutcome {
  return {
    clientCallId: row.client_call_id,
    number: row.number,
    endedAt: row.ended_at,
    state: row.idempotency_key === null ? "awaiting" : "queued",
    outcomeId: row.outcome_id,
    notes: row.notes,
    error: row.last_error,
  };
}

/** Remembers a finished call; noting it twice keeps the first (and any outcome already chosen). */
export async function addPending(db: Knex, userId: number, call: { clientCallId: string; number: string; endedAt: number }): Promise<void> {
  await db<PendingRow>("pending_outcomes")
    .insert({ client_call_id: call.clientCallId, user_id: userId, number: call.number, ended_at: call.endedAt, outcome_id: null, notes: "", idempotency_key: null, last_error: null, attempts: 0 })
    .onConflict("client_call_id")
    .ignore();
}

/** Oldest first: the picker asks about calls in the order they ended. */
export async function listPending(db: Knex, userId: number): Promise<PendingOutcome[]> {
  const rows = await db<PendingRow>("pending_outcomes").where({ user_id: userId }).orderBy([{ column: "ended_at" }, { column: "client_call_id" }]);
  return rows.map(toPending);
}

/** Stores the choice with its idempotency key; a new choice for the same call gets a new key. */
export async function queueOutcome(db: Knex, userId: number, choice: Omit<QueuedOutcome, "idempotencyKey">, idempotencyKey: string): Promise<boolean> {
  const n = await db<PendingRow>("pending_outcomes")
    .where({ client_call_id: choice.clientCallId, user_id: userId })
    .update({ outcome_id: choice.outcomeId, notes: choice.notes, idempotency_key: idempotencyKey, last_error: null });
  return n === 1;
}

export async function listQueued(db: Knex, userId: number): Promise<QueuedOutcome[]> {
  const rows = await db<PendingRow>("pending_outcomes").where({ user_id: userId }).whereNotNull("idempotency_key").whereNotNull("outcome_id").orderBy("ended_at");
  return rows.map((row) => ({ clientCallId: row.client_call_id, outcomeId: row.outcome_id ?? 0, notes: row.notes, idempotencyKey: row.idempotency_key ?? "" }));
}

/** The server refused the choice for good (the outcome was disabled meanwhile): ask again. */
export async function reopenPending(db: Knex, clientCallId: string, error: string): Promise<void> {
  await db<PendingRow>("pending_outcomes").where({ client_call_id: clientCallId }).update({ idempotency_key: null, last_error: error, attempts: db.raw("attempts + 1") });
}

export async function notePendingFailure(db: Knex, clientCallId: string, error: string): Promise<void> {
  await db<PendingRow>("pending_outcomes").where({ client_call_id: clientCallId }).update({ attempts: db.raw("attempts + 1"), last_error: error });
}

/** Only a submission with this key is done: a newer choice made meanwhile stays queued. */
export async function removePending(db: Knex, clientCallId: string, idempotencyKey?: string): Promise<void> {
  const query = db<PendingRow>("pending_outcomes").where({ client_call_id: clientCallId });
  await (idempotencyKey === undefined ? query : query.where({ idempotency_key: idempotencyKey })).delete();
}
