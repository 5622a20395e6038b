import type { Knex } from "knex";

interface AwaitingRow {
  client_call_id: string;
  user_id: number;
  number: string;
  ended_at: number;
  outcome_id: number | null;
  notes: string;
  last_error: string | null;
}

export interface AwaitingOutcome {
  clientCallId: string;
  userId: number;
  number: string;
  endedAt: number;
  /** The last choice, when the server refused it for good (then `error` says why). */
  outcomeId: number | null;
  notes: string;
  error: string | null;
}

const toAwaiting = (row: AwaitingRow): AwaitingOutcome => ({
  clientCallId: row.client_call_id,
  userId: row.user_id,
  number: row.number,
  endedAt: row.ended_at,
  outcomeId: row.outcome_id,
  notes: row.notes,
  error: row.last_error,
});

/** Remembers a finished call until the user picks its outcome; noting it twice keeps the first. */
export async function addAwaiting(db: Knex, call: Pick<AwaitingOutcome, "clientCallId" | "userId" | "number" | "endedAt">, refused?: { outcomeId: number; notes: string; error: string }): Promise<void> {
  await db<AwaitingRow>("awaiting_outcomes")
    .insert({
      client_call_id: call.clientCallId,
      user_id: call.userId,
      number: call.number,
      ended_at: call.endedAt,
      outcome_id: refused?.outcomeId ?? null,
      notes: refused?.notes ?? "",
      last_error: refused?.error ?? null,
    })
    .onConflict("client_call_id")
    .ignore();
}

/** Oldest first: the picker asks about calls in the order they ended. */
export async function listAwaiting(db: Knex, userId: number): Promise<AwaitingOutcome[]> {
  const rows = await db<AwaitingRow>("awaiting_outcomes").where({ user_id: userId }).orderBy([{ column: "ended_at" }, { column: "client_call_id" }]);
  return rows.map(toAwaiting);
}

export async function findAwaiting(db: Knex, userId: number, clientCallId: string): Promise<AwaitingOutcome | undefined> {
  const row = await db<AwaitingRow>("awaiting_outcomes").where({ user_id: userId, client_call_id: clientCallId }).first();
  return row === undefined ? undefined : toAwaiting(row);
}

export async function removeAwaiting(db: Knex, clientCallId: string): Promise<void> {
  await db<AwaitingRow>("awaiting_outcomes").where({ client_call_id: clientCallId }).delete();
}
