import type { Knex } from "knex";
import type { EditVersion } from "../../src-shared/server-api/sync-edits";
import { toInt } from "../db/row-values";

export type EditedEntity = "person" | "call";

export interface EditTarget {
  companyId: number;
  entity: EditedEntity;
  entityId: string;
}

export interface FieldEdit {
  field: string;
  /** The edit's value (JSON); kept as a previous version when it loses. */
  value: unknown;
  /** The value it replaces (JSON); kept as a previous version when it wins. */
  current: unknown;
  /** When the field was last set, for fields no versioned edit has touched yet. */
  setAt: number;
}

export interface FieldDecision {
  won: string[];
  lost: string[];
}

/**
 * The time an edit counts at: the client's clock at the edit, but never later
 * than the server's receipt, so a clock set ahead cannot win forever.
 */
export const effectiveEditTime = (editedAt: number, receivedAt: number): number => Math.min(editedAt, receivedAt);

/** Remembers a key; false when it was applied before (the replay then writes nothing). */
export async function claimEditKey(trx: Knex.Transaction, target: EditTarget, key: string, userId: number, now: number): Promise<boolean> {
  const rows = await trx("sync_edit_requests")
    .insert({ company_id: target.companyId, idempotency_key: key, user_id: userId, entity: target.entity, entity_id: target.entityId, received_at: now })
    .onConflict(["company_id", "idempotency_key"])
    .ignore()
    .returning<{ idempotency_key: string }[]>("idempotency_key");
  return rows.length > 0;
}

async function recordVersion(trx: Knex.Transaction, target: EditTarget, field: string, value: unknown, kind: EditVersion["kind"], editedAt: number, editedBy: number | null, now: number): Promise<void> {
  await trx("sync_edit_history").insert({
    company_id: target.companyId,
    entity: target.entity,
    entity_id: target.entityId,
    field,
    value: JSON.stringify(value ?? null),
    kind,
    edited_at: editedAt,
    edited_by: editedBy,
    recorded_at: now,
  });
}

/**
 * Last writer wins per field: each field goes to the edit with the later
 * effective time (a tie goes to the one received last). The value that loses
 * either way, the replaced one or the late edit's, is kept in the history.
 */
export async function decideFields(trx: Knex.Transaction, target: EditTarget, edits: readonly FieldEdit[], at: number, userId: number, now: number): Promise<FieldDecision> {
  const decision: FieldDecision = { won: [], lost: [] };
  if (edits.length === 0) return decision;
  const key = { company_id: target.companyId, entity: target.entity, entity_id: target.entityId };
  const rows = await trx("sync_field_versions")
    .where(key)
    .whereIn("field", edits.map((e) => e.field))
    .select<{ field: string; edited_at: number | string; edited_by: number | null }[]>("field", "edited_at", "edited_by");
  const versions = new Map(rows.map((r) => [r.field, { at: toInt(r.edited_at), by: r.edited_by }]));
  for (const edit of edits) {
    const stored = versions.get(edit.field);
    const winnerAt = Math.max(stored?.at ?? 0, edit.setAt);
    if (at < winnerAt) {
      decision.lost.push(edit.field);
      await recordVersion(trx, target, edit.field, edit.value, "lost", at, userId, now);
      continue;
    }
    decision.won.push(edit.field);
    if (JSON.stringify(edit.current) !== JSON.stringify(edit.value)) await recordVersion(trx, target, edit.field, edit.current, "replaced", winnerAt, stored?.by ?? null, now);
    await trx("sync_field_versions")
      .insert({ ...key, field: edit.field, edited_at: at, edited_by: userId })
      .onConflict(["company_id", "entity", "entity_id", "field"])
      .merge({ edited_at: at, edited_by: userId });
  }
  return decision;
}

/** A value the server would not take (e.g. an outcome disabled meanwhile): kept, marked refused. */
export async function refuseField(trx: Knex.Transaction, target: EditTarget, field: string, value: unknown, at: number, userId: number, now: number): Promise<void> {
  await recordVersion(trx, target, field, value, "refused", at, userId, now);
}

/** Newest first, with the editor's name. */
export async function listEditHistory(db: Knex, target: EditTarget, limit = 200): Promise<EditVersion[]> {
  const rows = await db("sync_edit_history as h")
    .leftJoin("users as u", "u.id", "h.edited_by")
    .where({ "h.company_id": target.companyId, "h.entity": target.entity, "h.entity_id": target.entityId })
    .orderBy("h.id", "desc")
    .limit(limit)
    .select<{ field: string; value: string; kind: EditVersion["kind"]; edited_at: number | string; name: string | null; recorded_at: number | string }[]>(
      "h.field", "h.value", "h.kind", "h.edited_at", "u.name", "h.recorded_at",
    );
  return rows.map((r) => ({ field: r.field, value: JSON.parse(r.value) as unknown, kind: r.kind, editedAt: toInt(r.edited_at), editedBy: r.name, recordedAt: toInt(r.recorded_at) }));
}
