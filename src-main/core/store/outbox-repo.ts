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
  entity_key: string | null;
}

export interface OutboxEntry {
  idempotencyKey: string;
  kind: string;
  payload: unknown;
  /** What the edit is for ("person:12", "call:7"): a feed page touching it re-applies the edit on top. */
  entityKey?: string | undefined;
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
      entity_key: entry.entityKey ?? null,
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
export async function peekBatch(db: Knex, n: number, afterId = 0): Promise<OutboxItem[]> {
  return toItems(await db<OutboxRow>("outbox").where("id", ">", afterId).orderBy("id").limit(n));
}

/** The queued edits for these entities, oldest first. */
export async function pendingFor(db: Knex, entityKeys: readonly string[]): Promise<OutboxItem[]> {
  if (entityKeys.length === 0) return [];
  const items: OutboxItem[] = [];
  // Bounded IN lists: a feed page touches up to 1,000 entities.
  for (let start = 0; start < entityKeys.length; start += 500) {
    items.push(...toItems(await db<OutboxRow>("outbox").whereIn("entity_key", entityKeys.slice(start, start + 500)).orderBy("id")));
  }
  return items.sort((a, b) => a.id - b.id);
}

function toItems(rows: readonly OutboxRow[]): OutboxItem[] {
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
      entityKey: row.entity_key ?? undefined,
    };
  });
}

/** One kind's queued items, oldest first. */
export async function listKind(db: Knex, kind: string): Promise<OutboxItem[]> {
  return toItems(await db<OutboxRow>("outbox").where({ kind }).orderBy("id"));
}

/** Takes back what is queued for an entity (a newer choice replaces it, or the user withdrew it). */
export async function dropFor(db: Knex, entityKey: string): Promise<void> {
  await db<OutboxRow>("outbox").where({ entity_key: entityKey }).delete();
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
