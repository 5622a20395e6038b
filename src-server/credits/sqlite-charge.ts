import type BetterSqlite3 from "better-sqlite3";
import type { Knex } from "knex";
import { dialectOf } from "../db/open-database";
import type { BalanceSnapshot, NewLedgerEntry } from "./ledger-repo";

/**
 * SQLite's hot path for a call charge: the same reads and writes as
 * ledger-repo's, as prepared statements on the transaction's own connection,
 * run synchronously (better-sqlite3 is synchronous anyway). Building and
 * preparing SQL through the query builder cost ~10× the work itself, which a
 * burst of charges cannot afford.
 */
interface Statements {
  balance: BetterSqlite3.Statement<[number], { bonus: number; purchased: number; version: number }>;
  charged: BetterSqlite3.Statement<[number, string], { total: number }>;
  insert: BetterSqlite3.Statement<unknown[]>;
  saveBalance: BetterSqlite3.Statement<[number, number, number, number]>;
  settings: BetterSqlite3.Statement<[number], { threshold: number | null; warned: number | null }>;
}

const prepared = new WeakMap<BetterSqlite3.Database, Statements>();

function statements(connection: BetterSqlite3.Database): Statements {
  let found = prepared.get(connection);
  if (found === undefined) {
    found = {
      balance: connection.prepare("SELECT bonus_micros AS bonus, purchased_micros AS purchased, version FROM credit_balances WHERE company_id = ?"),
      charged: connection.prepare("SELECT COALESCE(SUM(amount_micros), 0) AS total FROM ledger_entries WHERE company_id = ? AND pbx_uniqueid = ? AND kind = 'call_charge'"),
      insert: connection.prepare(
        "INSERT INTO ledger_entries (company_id, bucket, kind, amount_micros, balance_after_micros, idempotency_key, call_id, pbx_uniqueid, user_id, number, destination, billed_seconds, tariff_version, period, note, note_code, note_value, created_at) " +
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (company_id, idempotency_key) DO NOTHING",
      ),
      saveBalance: connection.prepare(
        "INSERT INTO credit_balances (company_id, bonus_micros, purchased_micros, version) VALUES (?, ?, ?, ?) " +
          "ON CONFLICT (company_id) DO UPDATE SET bonus_micros = excluded.bonus_micros, purchased_micros = excluded.purchased_micros, version = excluded.version",
      ),
      settings: connection.prepare("SELECT low_balance_threshold_micros AS threshold, low_balance_warned_at AS warned FROM credit_settings WHERE company_id = ?"),
    };
    prepared.set(connection, found);
  }
  return found;
}

/** The transaction's better-sqlite3 connection, or null on PostgreSQL. */
export async function sqliteConnection(trx: Knex.Transaction): Promise<BetterSqlite3.Database | null> {
  if (dialectOf(trx) !== "sqlite") return null;
  return (await (trx.client as { acquireConnection(): Promise<BetterSqlite3.Database> }).acquireConnection());
}

export interface SqliteLedger {
  balance(companyId: number): BalanceSnapshot;
  chargedSoFar(companyId: number, pbxUniqueid: string): number;
  /** Appends in order (a key already there is skipped) and moves the balance row; the snapshot after. */
  post(companyId: number, before: BalanceSnapshot, entries: readonly NewLedgerEntry[], now: number): { written: number; after: BalanceSnapshot };
  /** True when the low-balance rule has something to do (a crossing to announce or a warning to re-arm). */
  lowBalanceNeedsAttention(after: BalanceSnapshot): boolean;
}

export function sqliteLedger(connection: BetterSqlite3.Database): SqliteLedger {
  const s = statements(connection);
  return {
    balance(companyId) {
      const row = s.balance.get(companyId);
      return { companyId, bonusMicros: row?.bonus ?? 0, purchasedMicros: row?.purchased ?? 0, version: row?.version ?? 0 };
    },
    chargedSoFar(companyId, pbxUniqueid) {
      return -(s.charged.get(companyId, pbxUniqueid)?.total ?? 0);
    },
    post(companyId, before, entries, now) {
      let { bonusMicros, purchasedMicros } = before;
      let written = 0;
      for (const e of entries) {
        const bonus = e.bucket === "bonus" ? bonusMicros + e.amountMicros : bonusMicros;
        const purchased = e.bucket === "purchased" ? purchasedMicros + e.amountMicros : purchasedMicros;
        const result = s.insert.run(
          companyId, e.bucket, e.kind, e.amountMicros, e.bucket === "bonus" ? bonus : purchased, e.idempotencyKey, e.callId ?? null, e.pbxUniqueid ?? null,
          e.userId ?? null, e.number ?? null, e.destination ?? null, e.billedSeconds ?? null, e.tariffVersion ?? null, e.period ?? null, e.note ?? null, e.noteCode ?? null, e.noteValue ?? null, now,
        );
        if (result.changes === 0) continue;
        [bonusMicros, purchasedMicros] = [bonus, purchased];
        written += 1;
      }
      if (written === 0) return { written, after: before };
      const after = { companyId, bonusMicros, purchasedMicros, version: before.version + 1 };
      s.saveBalance.run(companyId, bonusMicros, purchasedMicros, after.version);
      return { written, after };
    },
    lowBalanceNeedsAttention(after) {
      const row = s.settings.get(after.companyId);
      if (row?.threshold == null) return false;
      const below = after.bonusMicros + after.purchasedMicros < row.threshold;
      return below !== (row.warned !== null);
    },
  };
}

