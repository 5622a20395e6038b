import type { Knex } from "knex";
import { z } from "zod";
import { parseJson, toJson } from "./safe-json";

interface OutboxRow {
  id: number;
  idempotency_key: string;
  kind: string;
  payload: string;
  created_at: number;
  attempts: number;
  last_error: string | null;
}

export interface OutboxEntry {
  idempotencyKey: string;
  kind: string;
  payload: unknown;
}

export interface OutboxItem extends OutboxEntry {
  id: number;
  createdAt: number;
  attempts: number;
  lastError: string | null;
}

/**
 * Queues a write for the server. A key already queued is a no-op (a double
 * click, a retried handler), so the result is the new id, or null for a duplicate.
 */
export async function enqueue(db: Knex, entry: OutboxEntry, now = Date.now()): Promise<number | null> {
  const inserted: Pick<OutboxRow, "id">[] = await db<OutboxRow>("outbox")
    .insert({
      idempotency_key: entry.idempotencyKey,
      kind: entry.kind,
      payload: toJson(entry.payload, `outbox ${entry.kind} payload`),
      created_at: now,
      attempts: 0,
      last_error: null,
    })
    .onConflict("idempotency_key")
    .ignore()
    .returning("id");
  return inserted[0]?.id ?? null;
}

/**
 * The oldest `n` items, left in place until marked done. The payload is
 * returned as stored; the sender validates it for its kind (unreadable JSON comes back as undefined).
 */
export async function peekBatch(db: Knex, n: number): Promise<OutboxItem[]> {
  const rows = await db<OutboxRow>("outbox").orderBy("id").limit(n);
  return rows.map((row) => {
    const payload = parseJson(row.payload, z.unknown());
    return {
      id: row.id,
      idempotencyKey: row.idempotency_key,
      kind: row.kind,
      payload: payload.ok ? payload.value : undefined,
      createdAt: row.created_at,
      attempts: row.attempts,
      lastError: row.last_error,
    };
  });
}

export async function markDone(db: Knex, id: number): Promise<void> {
  await db<OutboxRow>("outbox").where({ id }).delete();
}

export async function markFailed(db: Knex, id: number, error: string): Promise<void> {
  await db<OutboxRow>("outbox")
    .where({ id })
    .update({ attempts: db.raw("attempts + 1"), last_error: error });
}

export async function countOutbox(db: Knex): Promise<number> {
  const row = await db<OutboxRow>("outbox").count({ n: "*" }).first();
  return Number(row?.n ?? 0);
}
