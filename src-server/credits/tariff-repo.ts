import type { Knex } from "knex";
import { parseTariffCsv } from "../../src-shared/credits/tariff-csv";
import type { TariffKind, TariffRow } from "../../src-shared/credits/tariff";
import { toInt } from "../db/row-values";
import { defaultTariffCsv, defaultTariffSource } from "./default-tariff";

export interface TariffVersionRecord {
  id: number;
  /** null: the shipped default, shared by every company. */
  companyId: number | null;
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
  companyId: row.company_id === null ? null : toInt(row.company_id),
  source: row.source,
  rowCount: toInt(row.row_count),
  importedBy: row.imported_by,
  importedAt: toInt(row.imported_at),
});

/** Every version the company's calls may be rated with (its own imports and the shared default), oldest first. */
export async function listTariffVersions(db: Knex, companyId?: number): Promise<TariffVersionRecord[]> {
  const query = db<VersionRow>("tariff_versions").orderBy("id");
  if (companyId !== undefined) void query.where((q) => void q.where({ company_id: companyId }).orWhereNull("company_id"));
  return (await query).map(toVersion);
}

/**
 * The version a call that started at `atMs` is rated with: the company's
 * newest import at or before it, else the oldest version it may use.
 */
export function versionAt(versions: readonly TariffVersionRecord[], companyId: number, atMs: number): TariffVersionRecord | null {
  let found: TariffVersionRecord | null = null;
  let first: TariffVersionRecord | null = null;
  for (const v of versions) {
    if (v.companyId !== null && v.companyId !== companyId) continue;
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
  companyId: number | null;
  source: string;
  importedBy: string | null;
  importedAt: number;
  rows: readonly TariffRow[];
}

/** 11 columns × 400 rows stays under every SQLite build's limit on bound parameters. */
const chunk = 400;

export async function insertTariffVersion(trx: Knex.Transaction, version: NewTariffVersion): Promise<TariffVersionRecord> {
  const [row] = await trx<VersionRow>("tariff_versions")
    .insert({ company_id: version.companyId, source: version.source, row_count: version.rows.length, imported_by: version.importedBy, imported_at: version.importedAt })
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
  }
  return toVersion(row);
}

/** The shipped tariff as the first version, once per database (first start, or the demo seed). */
export async function ensureDefaultTariff(db: Knex, now: number): Promise<void> {
  await db.transaction(async (trx) => {
    if ((await trx("tariff_versions").whereNull("company_id").first("id")) !== undefined) return;
    const { rows, rejected } = parseTariffCsv(defaultTariffCsv());
    if (rejected.length > 0) throw new Error(`the default tariff has rejected rows: ${JSON.stringify(rejected.slice(0, 3))}`);
    await insertTariffVersion(trx, { companyId: null, source: defaultTariffSource, importedBy: null, importedAt: now, rows });
  });
}
