import type { LedgerEntry } from "../../src-shared/server-api/credits";

const columns = ["id", "at_utc", "bucket", "kind", "amount_usd", "balance_after_usd", "user", "call_id", "number", "destination", "billed_seconds", "note"];

const dollars = (micros: number): string => `${micros < 0 ? "-" : ""}${Math.floor(Math.abs(micros) / 1e6)}.${String(Math.abs(micros) % 1e6).padStart(6, "0")}`;
const plainNumber = /^-?\d+(\.\d+)?$/;

/**
 * One cell, safe to open in a spreadsheet: text starting with = + - @ (or a
 * tab or CR) is prefixed with ' so it is never run as a formula. A plain
 * number is left alone, as it cannot be one.
 */
export function csvCell(value: string | number | null): string {
  let text = value === null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !plainNumber.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function ledgerCsv(entries: readonly LedgerEntry[]): string {
  const lines = entries.map((e) =>
    [e.id, new Date(e.at).toISOString(), e.bucket, e.kind, dollars(e.amountMicros), dollars(e.balanceAfterMicros), e.userName, e.callId, e.number, e.destination, e.billedSeconds, e.note]
      .map(csvCell)
      .join(","),
  );
  return [columns.join(","), ...lines].join("\r\n") + "\r\n";
}
