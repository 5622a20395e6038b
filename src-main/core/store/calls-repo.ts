import type { Knex } from "knex";
import { CallDirection } from "../../../src-shared/api/contract";
import type { HistoryCall } from "../../../src-shared/api/contract";
import { numberSearchTerms } from "../../../src-shared/crm/fts-query";
import { storedOutcome, type StoredOutcome } from "../../../src-shared/crm/logged-outcome";
import { DefaultOutcomeKey } from "../../../src-shared/server-api/company-admin";

interface CallRow {
  id: string;
  direction: string;
  number: string;
  started_at: number;
  answered_at: number | null;
  ended_at: number | null;
  billed_seconds: number;
  disposition: string;
  cost_micros: number | null;
  outcome: string | null;
  outcome_key?: string | null;
  notes: string | null;
  contact_id: string | null;
  deal_id: string | null;
  updated_seq: number;
  contact_name?: string | null;
  deal_title?: string | null;
  recording_id?: string | null;
  search_number?: string;
  user_id?: string | null;
  transferred_by?: string | null;
}

/** A call as the sync client stores it: what history shows, plus its CRM links and the change seq it came from. */
export interface StoredCall extends HistoryCall {
  contactId: string | null;
  dealId: string | null;
  updatedSeq: number;
}

/** What `upsertCalls` takes: CRM links may be left out (stored as null). */
export type CallInput = HistoryCall & Pick<StoredCall, "updatedSeq"> & Partial<Pick<StoredCall, "contactId" | "dealId">>;

/**
 * Knex writes a multi-row SQLite insert as `SELECT … UNION ALL SELECT …`, so a
 * statement is bounded by SQLite's 500 compound terms as well as its 32766
 * bound variables (20 per row): 500 rows is the tighter limit.
 */
export const rowsPerStatement = 500;

function toRow(call: CallInput): CallRow {
  const outcome = storedOutcome(call.outcome, call.outcomeKey);
  return {
    id: call.id,
    direction: call.direction,
    number: call.number,
    started_at: call.startedAt,
    answered_at: call.answeredAt,
    ended_at: call.endedAt,
    billed_seconds: call.billedSeconds,
    disposition: call.disposition,
    cost_micros: call.costMicros,
    outcome: outcome.name,
    outcome_key: outcome.key,
    notes: call.notes,
    contact_id: call.contactId ?? null,
    deal_id: call.dealId ?? null,
    updated_seq: call.updatedSeq,
    contact_name: call.contactName ?? null,
    deal_title: call.dealTitle ?? null,
    recording_id: call.recordingId ?? null,
    search_number: numberSearchTerms(call.number),
    user_id: call.userId ?? null,
    transferred_by: call.transferredBy ?? null,
  };
}

/** Every column from the newer change, except a recording id or owner the sender did not know (absent, not removed). */
function mergeColumns(db: Knex): Record<string, Knex.Raw> {
  const columns = Object.keys(toRow({ id: "", direction: "outbound", number: "", startedAt: 0, answeredAt: null, endedAt: null, billedSeconds: 0, disposition: "", costMicros: null, outcome: null, notes: null, updatedSeq: 0 }));
  const merge: Record<string, Knex.Raw> = {};
  for (const column of columns) if (column !== "id") merge[column] = db.raw(`excluded.${column}`);
  merge.recording_id = db.raw("coalesce(excluded.recording_id, calls.recording_id)");
  merge.user_id = db.raw("coalesce(excluded.user_id, calls.user_id)");
  return merge;
}

/** The columns every reading of a stored call has; history search adds its CRM and recording columns. */
export type HistoryColumns = Pick<
  CallRow,
  "id" | "direction" | "number" | "started_at" | "answered_at" | "ended_at" | "billed_seconds" | "disposition" | "cost_micros" | "outcome" | "outcome_key" | "notes" | "transferred_by"
>;

export function toHistoryCall(row: HistoryColumns): HistoryCall {
  return {
    id: row.id,
    direction: CallDirection.parse(row.direction),
    number: row.number,
    startedAt: row.started_at,
    answeredAt: row.answered_at,
    endedAt: row.ended_at,
    billedSeconds: row.billed_seconds,
    disposition: row.disposition,
    costMicros: row.cost_micros,
    outcome: row.outcome,
    outcomeKey: DefaultOutcomeKey.safeParse(row.outcome_key).data ?? null,
    notes: row.notes,
    ...(row.transferred_by == null ? {} : { transferredBy: row.transferred_by }),
  };
}

function toStoredCall(row: CallRow): StoredCall {
  return { ...toHistoryCall(row), contactId: row.contact_id, dealId: row.deal_id, updatedSeq: row.updated_seq };
}

/**
 * Inserts or replaces calls in one transaction. A row only replaces one with
 * an equal or older `updatedSeq`, so a replayed old change never undoes a newer one.
 */
export async function upsertCalls(db: Knex, calls: readonly CallInput[]): Promise<void> {
  if (calls.length === 0) return;
  await db.transaction(async (trx) => {
    for (let start = 0; start < calls.length; start += rowsPerStatement) {
      const rows = calls.slice(start, start + rowsPerStatement).map(toRow);
      await trx<CallRow>("calls")
        .insert(rows)
        .onConflict("id")
        .merge(mergeColumns(trx))
        .where("calls.updated_seq", "<=", trx.raw("excluded.updated_seq"));
    }
  });
}

export interface ListCallsQuery {
  limit: number;
  /** Only calls that started before this time (UTC ms): the previous page's last `startedAt`. */
  before?: number | undefined;
}

/** Newest first. */
export async function listCalls(db: Knex, { limit, before }: ListCallsQuery): Promise<HistoryCall[]> {
  const newestFirst = db<CallRow>("calls")
    .orderBy([
      { column: "started_at", order: "desc" },
      { column: "id", order: "desc" },
    ])
    .limit(limit);
  const rows = await (before === undefined ? newestFirst : newestFirst.where("started_at", "<", before));
  return rows.map(toHistoryCall);
}

export async function getCall(db: Knex, id: string): Promise<StoredCall | undefined> {
  const row = await db<CallRow>("calls").where({ id }).first();
  return row ? toStoredCall(row) : undefined;
}

/** Returns whether a call was deleted. */
export async function deleteCall(db: Knex, id: string): Promise<boolean> {
  return (await db<CallRow>("calls").where({ id }).delete()) > 0;
}

export async function countCalls(db: Knex): Promise<number> {
  const row = await db<CallRow>("calls").count({ n: "*" }).first();
  return Number(row?.n ?? 0);
}

/** A history edit made on this device, shown before the server confirms it (sync-outbox.ts). */
export async function patchLocalCall(db: Knex, id: string, patch: { outcome?: StoredOutcome | undefined; notes?: string | null | undefined }): Promise<void> {
  const columns: Partial<CallRow> = {};
  if (patch.outcome !== undefined) Object.assign(columns, { outcome: patch.outcome.name, outcome_key: patch.outcome.key });
  if (patch.notes !== undefined) columns.notes = patch.notes;
  if (Object.keys(columns).length > 0) await db<CallRow>("calls").where({ id }).update(columns);
}

/** Forgets every mirrored call (on sign-out: the next user must not see them). */
export async function clearCalls(db: Knex): Promise<void> {
  await db<CallRow>("calls").delete();
}
