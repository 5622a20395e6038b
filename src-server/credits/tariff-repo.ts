import type { Knex } from "knex";
import { setImmediate as nextTurn } from "node:timers/promises";
import { parseTariffCsv } from "../../src-shared/credits/tariff-csv";
import type { TariffKind, TariffRow } from "../../src-shared/credits/tariff";
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
  return (await db<VersionRow>("tariff_versions").whereNull("company_id").orderBy("id")).map(toVersion);
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
  rows: readonly TariffRow[];
}

/**
 * 11 columns × 400 rows stays under every SQLite build's limit on bound
 * parameters. SQLite's driver is synchronous: between chunks the event loop
 * gets a turn, so a 400,000-row version does not hold authorize for its whole insert.
 */
const chunk = 400;

export async function insertTariffVersion(trx: Knex.Transaction, version: NewTariffVersion): Promise<TariffVersionRecord> {
  const [row] = await trx<VersionRow>("tariff_versions")
    .insert({ company_id: null, source: version.source, row_count: version.rows.length, imported_by: version.importedBy, imported_at: version.importedAt })
    .returning("*");
  if (row === undefined) throw new Error("insert into tariff_versions returned no row");
  const id = toInt(row.id);
  for (let i = 0; i < version.rows.length; i += chunk) {
    await trx("tariff_rows").insert(
      version.rows.slice(i, i + chunk).map((r) => ({
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
      })),
    );
    await nextTurn();
  }
  return toVersion(row);
}

/** The shipped tariff as the first version, once per database (first start, or the demo seed): the operator's until it imports its own. */
export async function ensureDefaultTariff(db: Knex, now: number): Promise<void> {
  await db.transaction(async (trx) => {
    if ((await trx("tariff_versions").whereNull("company_id").first("id")) !== undefined) return;
    const { rows, rejected } = parseTariffCsv(defaultTariffCsv());
    if (rejected.length > 0) throw new Error(`the default tariff has rejected rows: ${JSON.stringify(rejected.slice(0, 3))}`);
    await insertTariffVersion(trx, { source: defaultTariffSource, importedBy: null, importedAt: now, rows });
  });
}
