import { csvCell } from "./csv-line";
import type { TariffRow } from "./tariff";
import { tariffCsvColumns } from "./tariff-csv";

/** Micro-dollars as the shortest exact decimal: 45000 → "0.045", 0 → "0". */
export function dollarsText(micros: number): string {
  const whole = Math.floor(micros / 1e6);
  const fraction = String(micros % 1e6).padStart(6, "0").replace(/0+$/, "");
  return fraction === "" ? String(whole) : `${whole}.${fraction}`;
}

/** A UTC instant as TARIFF-CSV.md writes it: the day alone at midnight, else the time with Z. */
export function utcDateText(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : `${iso.slice(0, 19)}Z`;
}

/**
 * Rows as a tariff CSV file (TARIFF-CSV.md): what an export gives and an
 * import takes back. Destinations are quoted as needed and never start a
 * spreadsheet formula.
 */
export function tariffCsv(rows: readonly TariffRow[]): string {
  const lines = rows.map((r) =>
    [
      r.prefix,
      csvCell(r.destination),
      r.kind,
      dollarsText(r.ratePerMinuteMicros),
      dollarsText(r.connectionFeeMicros),
      `${r.increments.first}/${r.increments.next}`,
      utcDateText(r.effectiveFrom),
      r.effectiveTo === null ? "" : utcDateText(r.effectiveTo),
    ].join(","),
  );
  return [tariffCsvColumns.join(","), ...lines].join("\r\n") + "\r\n";
}
