import type { Knex } from "knex";
import type { RatesQuery, RatesReply, TariffRate, TariffVersion } from "../../src-shared/server-api/credits";
import { tariffCsv } from "../../src-shared/credits/tariff-csv-write";
import { toInt } from "../db/row-values";
import { loadTariffRows, type TariffVersionRecord } from "./tariff-repo";

interface RateRow {
  prefix: string;
  destination: string;
  kind: TariffRate["kind"];
  rate_per_minute_micros: number | string;
  connection_fee_micros: number | string;
  increment_first: number;
  increment_next: number;
  effective_from: number | string;
  effective_to: number | string | null;
}

const toRate = (r: RateRow): TariffRate => ({
  prefix: r.prefix,
  destination: r.destination,
  kind: r.kind,
  ratePerMinuteMicros: toInt(r.rate_per_minute_micros),
  connectionFeeMicros: toInt(r.connection_fee_micros),
  increments: { first: r.increment_first, next: r.increment_next },
  effectiveFrom: toInt(r.effective_from),
  effectiveTo: r.effective_to === null ? null : toInt(r.effective_to),
});

export const toTariffVersion = (v: TariffVersionRecord): TariffVersion => ({ version: v.id, rows: v.rowCount, importedAt: v.importedAt, importedBy: v.importedBy, source: v.source });

/** LIKE's own wildcards in the searched text match only themselves. */
const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * One version's rates, filtered and paged for the read-only views. Digits
 * (a leading + is dropped) find prefixes starting with them and the prefixes
 * a number starting with them would be rated by; other text finds
 * destinations containing it, case-insensitively.
 */
export async function listRates(db: Knex, version: TariffVersionRecord | null, query: Pick<RatesQuery, "q" | "limit" | "offset">): Promise<RatesReply> {
  if (version === null) return { version: null, total: 0, rates: [] };
  const base = db("tariff_rows").where({ version_id: version.id });
  const q = query.q?.trim() ?? "";
  const digits = /^\+?[0-9]{1,15}$/.test(q) ? q.replace(/^\+/, "") : null;
  if (digits !== null) {
    const covering = Array.from({ length: digits.length }, (_, i) => digits.slice(0, i + 1));
    void base.where((w) => void w.where("prefix", "like", `${digits}%`).orWhereIn("prefix", covering));
  } else if (q !== "") {
    void base.whereRaw("lower(destination) like ? escape '\\'", [`%${escapeLike(q.toLowerCase())}%`]);
  }
  const [counted] = await base.clone().count<{ n: number | string }[]>({ n: "*" });
  const rows = await base.orderBy([{ column: "prefix" }, { column: "effective_from" }]).limit(query.limit).offset(query.offset).select<RateRow[]>("*");
  return { version: toTariffVersion(version), total: counted === undefined ? 0 : toInt(counted.n), rates: rows.map(toRate) };
}

/** A version as the tariff CSV an operator imports (TARIFF-CSV.md), named after it. */
export async function ratesCsvFile(db: Knex, version: TariffVersionRecord | null): Promise<{ fileName: string; csv: string }> {
  const rows = version === null ? [] : await loadTariffRows(db, version.id);
  return { fileName: `tariff-v${version?.id ?? 0}.csv`, csv: tariffCsv(rows) };
}
