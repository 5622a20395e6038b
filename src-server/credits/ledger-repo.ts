import type { Knex } from "knex";
import type { CreditBucket, LedgerKind, LedgerNoteCode } from "../../src-shared/server-api/credits";
import { dialectOf } from "../db/open-database";
import { toInt } from "../db/row-values";

/** A company's buckets after some write; `version` grows by one per write, so the newest copy wins in memory. */
export interface BalanceSnapshot {
  companyId: number;
  bonusMicros: number;
  purchasedMicros: number;
  version: number;
}

export interface NewLedgerEntry {
  bucket: CreditBucket;
  kind: LedgerKind;
  amountMicros: number;
  /** Unique per company: the same key twice is the same entry (a retry), written once. */
  idempotencyKey: string;
  callId?: number | null;
  pbxUniqueid?: string | null;
  userId?: number | null;
  number?: string | null;
  destination?: string | null;
  billedSeconds?: number | null;
  tariffVersion?: number | null;
  period?: string | null;
  note?: string | null;
  noteCode?: LedgerNoteCode | null;
  noteValue?: number | null;
}

interface BalanceRow {
  company_id: number;
  bonus_micros: number | string;
  purchased_micros: number | string;
  version: number | string;
}

const toSnapshot = (row: BalanceRow): BalanceSnapshot => ({
  companyId: toInt(row.company_id),
  bonusMicros: toInt(row.bonus_micros),
  purchasedMicros: toInt(row.purchased_micros),
  version: toInt(row.version),
});

const emptyBalance = (companyId: number): BalanceSnapshot => ({ companyId, bonusMicros: 0, purchasedMicros: 0, version: 0 });

export async function readBalance(db: Knex, companyId: number): Promise<BalanceSnapshot> {
  const row = await db<BalanceRow>("credit_balances").where({ company_id: companyId }).first();
  return row === undefined ? emptyBalance(companyId) : toSnapshot(row);
}

export async function readAllBalances(db: Knex): Promise<BalanceSnapshot[]> {
  return (await db<BalanceRow>("credit_balances").select("*")).map(toSnapshot);
}

/** Inside `trx`, locked on PostgreSQL: appends to one company's ledger take turns. */
export async function lockBalance(trx: Knex.Transaction, companyId: number): Promise<BalanceSnapshot> {
  if (dialectOf(trx) === "postgres") {
    await trx.raw("insert into credit_balances (company_id, bonus_micros, purchased_micros, version) values (?, 0, 0, 0) on conflict do nothing", [companyId]);
    const row = await trx<BalanceRow>("credit_balances").where({ company_id: companyId }).forUpdate().first();
    return row === undefined ? emptyBalance(companyId) : toSnapshot(row);
  }
  return readBalance(trx, companyId);
}

export async function hasLedgerKey(db: Knex, companyId: number, idempotencyKey: string): Promise<boolean> {
  return (await db("ledger_entries").where({ company_id: companyId, idempotency_key: idempotencyKey }).first("id")) !== undefined;
}

export interface PostResult {
  /** Entries written; a key already in the ledger is skipped (the write it names happened). */
  written: number;
  before: BalanceSnapshot;
  after: BalanceSnapshot;
}

/**
 * Inside `trx`: appends the entries in order, each with the bucket's balance
 * after it, and moves the cached balance row with them. Idempotent per key.
 */
export async function postEntries(trx: Knex.Transaction, companyId: number, entries: readonly NewLedgerEntry[], now: number): Promise<PostResult> {
  const before = await lockBalance(trx, companyId);
  let { bonusMicros, purchasedMicros } = before;
  let written = 0;
  for (const entry of entries) {
    if (await hasLedgerKey(trx, companyId, entry.idempotencyKey)) continue;
    if (entry.bucket === "bonus") bonusMicros += entry.amountMicros;
    else purchasedMicros += entry.amountMicros;
    await trx("ledger_entries").insert({
      company_id: companyId,
      bucket: entry.bucket,
      kind: entry.kind,
      amount_micros: entry.amountMicros,
      balance_after_micros: entry.bucket === "bonus" ? bonusMicros : purchasedMicros,
      idempotency_key: entry.idempotencyKey,
      call_id: entry.callId ?? null,
      pbx_uniqueid: entry.pbxUniqueid ?? null,
      user_id: entry.userId ?? null,
      number: entry.number ?? null,
      destination: entry.destination ?? null,
      billed_seconds: entry.billedSeconds ?? null,
      tariff_version: entry.tariffVersion ?? null,
      period: entry.period ?? null,
      note: entry.note ?? null,
      note_code: entry.noteCode ?? null,
      note_value: entry.noteValue ?? null,
      created_at: now,
    });
    written += 1;
  }
  if (written === 0) return { written, before, after: before };
  const after: BalanceSnapshot = { companyId, bonusMicros, purchasedMicros, version: before.version + 1 };
  await trx("credit_balances")
    .insert({ company_id: companyId, bonus_micros: bonusMicros, purchased_micros: purchasedMicros, version: after.version })
    .onConflict("company_id")
    .merge(["bonus_micros", "purchased_micros", "version"]);
  return { written, before, after };
}

/** The buckets as the sum of the ledger itself: what the cached row must always equal. */
export async function sumLedger(db: Knex, companyId: number): Promise<{ bonusMicros: number; purchasedMicros: number }> {
  const rows = await db("ledger_entries").where({ company_id: companyId }).groupBy("bucket").select("bucket").sum({ total: "amount_micros" });
  const total = (bucket: string): number => {
    const row = (rows as { bucket: string; total: number | string | null }[]).find((r) => r.bucket === bucket);
    return row?.total == null ? 0 : toInt(row.total);
  };
  return { bonusMicros: total("bonus"), purchasedMicros: total("purchased") };
}
