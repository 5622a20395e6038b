import type BetterSqlite3 from "better-sqlite3";
import type { Knex } from "knex";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { parseTariffCsv } from "../../src-shared/credits/tariff-csv";
import type { TariffKind, TariffRow } from "../../src-shared/credits/tariff";
import { dialectOf } from "../db/open-database";
import { toInt } from "../db/row-values";
import { defaultTariffCsv, defaultTariffSource } from "./default-tariff";

export interface TariffVersionRecord {
  id: number;
  source: string;
  rowCount: number;
  importedBy: string | null;
  importedAt: number;
}

interface VersionRow {
  id: number;
  company_id: number | null;
  source: string;
  row_count: number | string;
  imported_by: string | null;
  imported_at: number | string;
  pending: boolean | number;
}

interface RateRow {
  version_id: number;
  prefix: string;
  destination: string;
  kind: TariffKind;
  rate_per_minute_micros: number | string;
  connection_fee_micros: number | string;
  increment_first: number;
  increment_next: number;
  effective_from: number | string;
  effective_to: number | string | null;
}

const toVersion = (row: VersionRow): TariffVersionRecord => ({
  id: toInt(row.id),
  source: row.source,
  rowCount: toInt(row.row_count),
  importedBy: row.imported_by,
  importedAt: toInt(row.imported_at),
});

/**
 * The operator's tariff versions, oldest first: one tariff for every company.
 * Rows with a company_id are what company admins imported before the operator
 * owned the tariff; they are kept for the record and never rate a call.
 */
export async function listTariffVersions(db: Knex): Promise<TariffVersionRecord[]> {
  return (await db<VersionRow>("tariff_versions").whereNull("company_id").andWhere({ pending: false }).orderBy("id")).map(toVersion);
}

/** The version a call that started at `atMs` is rated with: the newest import at or before it, else the oldest. */
export function versionAt(versions: readonly TariffVersionRecord[], atMs: number): TariffVersionRecord | null {
  let found: TariffVersionRecord | null = null;
  let first: TariffVersionRecord | null = null;
  for (const v of versions) {
    first ??= v;
    if (v.importedAt <= atMs && (found === null || v.importedAt >= found.importedAt)) found = v;
  }
  return found ?? first;
}

export async function loadTariffRows(db: Knex, versionId: number): Promise<TariffRow[]> {
  const rows = await db<RateRow>("tariff_rows").where({ version_id: versionId }).orderBy("id");
  return rows.map((r) => ({
    prefix: r.prefix,
    destination: r.destination,
    kind: r.kind,
    ratePerMinuteMicros: toInt(r.rate_per_minute_micros),
    connectionFeeMicros: toInt(r.connection_fee_micros),
    increments: { first: r.increment_first, next: r.increment_next },
    effectiveFrom: toInt(r.effective_from),
    effectiveTo: r.effective_to === null ? null : toInt(r.effective_to),
  }));
}

export interface NewTariffVersion {
  source: string;
  importedBy: string | null;
  importedAt: number;
  rowCount: number;
}

/**
 * 11 columns × 400 rows stays under every SQLite build's limit on bound
 * parameters; a few statements make one short transaction.
 */
const chunk = 400;
const chunksPerTransaction = 2;
/**
 * Between two row transactions the write lock is free for this long: the
 * writer thread's busy handler polls every few ms up to 100 ms, and a
 * setImmediate alone would take the lock back before it looked. From the
 * import thread (no fsync of their own there) transactions of 800 rows
 * keep each hold short.
 */
const yieldMs = 15;

const rateRow = (id: number, r: TariffRow) => ({
  version_id: id,
  prefix: r.prefix,
  destination: r.destination,
  kind: r.kind,
  rate_per_minute_micros: r.ratePerMinuteMicros,
  connection_fee_micros: r.connectionFeeMicros,
  increment_first: r.increments.first,
  increment_next: r.increments.next,
  effective_from: r.effectiveFrom,
  effective_to: r.effectiveTo,
});

const rateColumns = ["version_id", "prefix", "destination", "kind", "rate_per_minute_micros", "connection_fee_micros", "increment_first", "increment_next", "effective_from", "effective_to"] as const satisfies readonly (keyof RateRow)[];
const insertRowSql = `insert into tariff_rows (${rateColumns.join(", ")}) values (${rateColumns.map((c) => `@${c}`).join(", ")})`;

/** Deletes one version and its rows, a few thousand rows per transaction so the delete never holds the write lock for long either. */
async function deleteVersion(db: Knex, id: number): Promise<void> {
  for (;;) {
    const deleted = await db("tariff_rows")
      .whereIn("id", db("tariff_rows").where({ version_id: id }).select("id").limit(chunk * chunksPerTransaction))
      .delete();
    if (deleted === 0) break;
    await sleep(yieldMs);
  }
  await db("tariff_versions").where({ id }).delete();
}

/**
 * The one write path for a tariff version (import, restore, the default
 * tariff). The version is created pending, `writeRows` puts its rows in
 * (`writeTariffRows`, here or on the import thread's own connection), then
 * `publish` runs in the one short transaction that makes it visible (the
 * caller's log entry goes there). Anything that fails on the way deletes
 * what was written, so no one ever sees a part of a version.
 */
export async function insertTariffVersion(db: Knex, version: NewTariffVersion, writeRows: (record: TariffVersionRecord) => Promise<void>, publish?: (trx: Knex.Transaction, record: TariffVersionRecord) => Promise<void>): Promise<TariffVersionRecord> {
  const [row] = await db<VersionRow>("tariff_versions")
    .insert({ company_id: null, source: version.source, row_count: version.rowCount, imported_by: version.importedBy, imported_at: version.importedAt, pending: true })
    .returning("*");
  if (row === undefined) throw new Error("insert into tariff_versions returned no row");
  const record = toVersion(row);
  try {
    await writeRows(record);
    await db.transaction(async (trx) => {
      const published = await trx("tariff_versions").where({ id: record.id, pending: true }).update({ pending: false });
      if (published !== 1) throw new Error(`tariff version ${record.id} was removed before it was published`);
      await publish?.(trx, record);
    });
  } catch (error) {
    await deleteVersion(db, record.id);
    throw error;
  }
  return record;
}

/**
 * The one statement set that stores rows of a pending version, inside the
 * caller's transaction: the writer thread's background chunks (SQLite) and
 * `writeTariffRows` (PostgreSQL, tests, the CLI) both come here.
 */
export async function insertTariffRows(trx: Knex.Transaction, versionId: number, rows: readonly TariffRow[]): Promise<void> {
  if (rows.length === 0) return;
  if (dialectOf(trx) === "sqlite") {
    // One small statement run per row: knex would build, and SQLite prepare, a 4,000-parameter
    // statement per chunk, which measured as most of the writer thread's time in an import.
    const connection = await (trx.client as { acquireConnection(): Promise<BetterSqlite3.Database> }).acquireConnection();
    const insert = connection.prepare(insertRowSql);
    for (const r of rows) insert.run(rateRow(versionId, r));
    return;
  }
  for (let j = 0; j < rows.length; j += chunk) await trx("tariff_rows").insert(rows.slice(j, j + chunk).map((r) => rateRow(versionId, r)));
}

/** The rows of a pending version, through short transactions that leave the write lock free between them. */
export async function writeTariffRows(db: Knex, versionId: number, rows: readonly TariffRow[]): Promise<void> {
  const perTransaction = chunk * chunksPerTransaction;
  for (let i = 0; i < rows.length; i += perTransaction) {
    const part = rows.slice(i, i + perTransaction);
    let locked = 0;
    await db.transaction(async (trx) => {
      // From here on the write lock is held (BEGIN IMMEDIATE): waiting for it does not count.
      locked = performance.now();
      await insertTariffRows(trx, versionId, part);
    });
    // Others get the lock at least as long as these rows held it.
    await sleep(Math.max(yieldMs, performance.now() - locked));
  }
}

/** Removes pending versions started before `startedBefore`: imports a crash (or a lost connection) left half written. Returns their ids. */
export async function deletePendingTariffVersions(db: Knex, startedBefore: number): Promise<number[]> {
  const ids = (await db("tariff_versions").where({ pending: true }).andWhere("imported_at", "<", startedBefore).pluck("id")).map(toInt);
  for (const id of ids) await deleteVersion(db, id);
  return ids;
}

/** The shipped tariff as the first version, once per database (first start, or the demo seed): the operator's until it imports its own. */
export async function ensureDefaultTariff(db: Knex, now: number): Promise<void> {
  if ((await db("tariff_versions").whereNull("company_id").andWhere({ pending: false }).first("id")) !== undefined) return;
  const { rows, rejected } = parseTariffCsv(defaultTariffCsv());
  if (rejected.length > 0) throw new Error(`the default tariff has rejected rows: ${JSON.stringify(rejected.slice(0, 3))}`);
  await insertTariffVersion(db, { source: defaultTariffSource, importedBy: null, importedAt: now, rowCount: rows.length }, (record) => writeTariffRows(db, record.id, rows));
}
