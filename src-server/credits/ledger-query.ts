import type { Knex } from "knex";
import type { LedgerEntry, LedgerQuery, LedgerReply } from "../../src-shared/server-api/credits";
import { toInt } from "../db/row-values";

interface EntryRow {
  id: number;
  created_at: number | string;
  bucket: LedgerEntry["bucket"];
  kind: LedgerEntry["kind"];
  amount_micros: number | string;
  balance_after_micros: number | string;
  user_id: number | null;
  user_name: string | null;
  call_id: number | null;
  number: string | null;
  destination: string | null;
  billed_seconds: number | null;
  note: string | null;
  note_code: LedgerEntry["noteCode"];
  note_value: number | string | null;
}

const toEntry = (row: EntryRow): LedgerEntry => ({
  id: String(row.id),
  at: toInt(row.created_at),
  bucket: row.bucket,
  kind: row.kind,
  amountMicros: toInt(row.amount_micros),
  balanceAfterMicros: toInt(row.balance_after_micros),
  userId: row.user_id === null ? null : toInt(row.user_id),
  userName: row.user_name,
  callId: row.call_id === null ? null : String(row.call_id),
  number: row.number,
  destination: row.destination,
  billedSeconds: row.billed_seconds === null ? null : toInt(row.billed_seconds),
  note: row.note,
  noteCode: row.note_code,
  noteValue: row.note_value === null ? null : toInt(row.note_value),
});

export type LedgerFilter = Omit<LedgerQuery, "limit" | "before">;

function filtered(db: Knex, companyId: number, filter: LedgerFilter): Knex.QueryBuilder {
  const query = db("ledger_entries")
    .leftJoin("users", "users.id", "ledger_entries.user_id")
    .where("ledger_entries.company_id", companyId)
    .select("ledger_entries.*", "users.name as user_name");
  if (filter.from !== undefined) void query.where("ledger_entries.created_at", ">=", filter.from);
  if (filter.to !== undefined) void query.where("ledger_entries.created_at", "<", filter.to);
  if (filter.kind !== undefined) void query.where("ledger_entries.kind", filter.kind);
  if (filter.bucket !== undefined) void query.where("ledger_entries.bucket", filter.bucket);
  if (filter.userId !== undefined) void query.where("ledger_entries.user_id", filter.userId);
  return query;
}

/** Newest first, a page at a time: `nextBefore` is the cursor of the next (older) page, null at the end. */
export async function listLedger(db: Knex, companyId: number, query: LedgerQuery): Promise<LedgerReply> {
  const before = query.before === undefined ? undefined : Number(query.before);
  const builder = filtered(db, companyId, query);
  if (before !== undefined && Number.isSafeInteger(before)) void builder.where("ledger_entries.id", "<", before);
  const rows = (await builder.orderBy("ledger_entries.id", "desc").limit(query.limit + 1)) as EntryRow[];
  const entries = rows.slice(0, query.limit).map(toEntry);
  return { entries, nextBefore: rows.length > query.limit ? (entries.at(-1)?.id ?? null) : null };
}

/** The most one export holds: years of a busy company's calls. */
export const ledgerExportLimit = 200_000;

export async function ledgerForExport(db: Knex, companyId: number, filter: LedgerFilter): Promise<LedgerEntry[]> {
  const rows = (await filtered(db, companyId, filter).orderBy("ledger_entries.id", "desc").limit(ledgerExportLimit)) as EntryRow[];
  return rows.map(toEntry);
}
