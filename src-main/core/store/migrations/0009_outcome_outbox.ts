import type { Knex } from "knex";

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

interface OutboxRow {
  id: number;
  idempotency_key: string;
  kind: string;
  payload: string;
  created_at: number;
  attempts: number;
  last_error: string | null;
  entity_key: string | null;
}

const outcomeKind = "call-outcome";
const entityKey = (clientCallId: string) => `call-outcome:${clientCallId}`;
const isQueued = (row: PendingRow) => row.idempotency_key !== null && row.outcome_id !== null;

/**
 * One offline queue: a chosen call outcome waiting for the server moves from
 * `pending_outcomes` into the outbox (kind "call-outcome", same idempotency key,
 * so a choice the server already took is answered, not applied twice). Calls
 * still waiting for the user's choice are not writes yet: they stay, in
 * `awaiting_outcomes`.
 *
 * The outbox is renumbered so the moved outcomes sit among the queued edits in
 * the order they were made: the picker opens as a call ends, so a choice is
 * dated by its call's end, and an edit by when it was made.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("awaiting_outcomes", (t) => {
    t.text("client_call_id").notNullable().primary();
    // Whose call: another user signing in on this device must not be asked about it.
    t.integer("user_id").notNullable();
    t.text("number").notNullable();
    t.integer("ended_at").notNullable();
    // A choice the server refused for good comes back here with it, for the picker to show.
    t.integer("outcome_id");
    t.text("notes").notNullable().defaultTo("");
    t.text("last_error");
    t.index(["user_id", "ended_at"], "awaiting_outcomes_user");
  });

  const pending = await knex<PendingRow>("pending_outcomes").orderBy([{ column: "ended_at" }, { column: "client_call_id" }]);
  for (const row of pending.filter((r) => !isQueued(r))) {
    const { client_call_id, user_id, number, ended_at, outcome_id, notes, last_error } = row;
    await knex("awaiting_outcomes").insert({ client_call_id, user_id, number, ended_at, outcome_id, notes, last_error });
  }

  const moved: Omit<OutboxRow, "id">[] = pending.filter(isQueued).map((row) => ({
    idempotency_key: row.idempotency_key ?? "",
    kind: outcomeKind,
    payload: JSON.stringify({ userId: row.user_id, clientCallId: row.client_call_id, number: row.number, endedAt: row.ended_at, outcomeId: row.outcome_id, notes: row.notes }),
    created_at: row.ended_at,
    attempts: row.attempts,
    last_error: row.last_error,
    entity_key: entityKey(row.client_call_id),
  }));
  if (moved.length > 0) {
    const queued = await knex<OutboxRow>("outbox").orderBy("id");
    // A merge, not a sort: each queue keeps its own order even where its clock went backwards.
    const merged: Omit<OutboxRow, "id">[] = [];
    let i = 0;
    let j = 0;
    while (i < queued.length || j < moved.length) {
      const edit = queued[i];
      const outcome = moved[j];
      if (outcome !== undefined && (edit === undefined || outcome.created_at <= edit.created_at)) {
        merged.push(outcome);
        j += 1;
      } else if (edit !== undefined) {
        const { id: _id, ...rest } = edit;
        merged.push(rest);
        i += 1;
      }
    }
    await knex("outbox").delete();
    for (const [index, row] of merged.entries()) await knex("outbox").insert({ id: index + 1, ...row });
  }
  await knex.schema.dropTable("pending_outcomes");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.createTable("pending_outcomes", (t) => {
    t.text("client_call_id").notNullable().primary();
    t.integer("user_id").notNullable();
    t.text("number").notNullable();
    t.integer("ended_at").notNullable();
    t.integer("outcome_id");
    t.text("notes").notNullable().defaultTo("");
    t.text("idempotency_key");
    t.text("last_error");
    t.integer("attempts").notNullable().defaultTo(0);
    t.index(["user_id", "ended_at"], "pending_outcomes_user");
  });
  const awaiting = await knex("awaiting_outcomes").select<Omit<PendingRow, "idempotency_key" | "attempts">[]>();
  for (const row of awaiting) await knex("pending_outcomes").insert({ ...row, idempotency_key: null, attempts: 0 });
  for (const item of await knex<OutboxRow>("outbox").where({ kind: outcomeKind }).orderBy("id")) {
    const p = JSON.parse(item.payload) as { userId: number; clientCallId: string; number: string; endedAt: number; outcomeId: number; notes: string };
    const row = { client_call_id: p.clientCallId, user_id: p.userId, number: p.number, ended_at: p.endedAt, outcome_id: p.outcomeId, notes: p.notes, idempotency_key: item.idempotency_key, last_error: item.last_error, attempts: item.attempts };
    await knex("pending_outcomes").insert(row).onConflict("client_call_id").merge();
  }
  await knex("outbox").where({ kind: outcomeKind }).delete();
  await knex.schema.dropTable("awaiting_outcomes");
}
