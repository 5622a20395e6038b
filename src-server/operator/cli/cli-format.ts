import { formatMoney, formatRate } from "../../../src-shared/format";

export const usd = (micros: number): string => formatMoney(micros, "USD", "en");

/** A per-minute rate keeps its extra decimals ($0.013). */
export const usdRate = (micros: number): string => formatRate(micros, "USD", "en");

export const minutes = (seconds: number): string => `${Math.round(seconds / 6) / 10} min`;

export const utc = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** Columns padded to their widest cell; the CLI's only layout. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}
