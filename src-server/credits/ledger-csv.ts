import { csvCell } from "../../src-shared/credits/csv-line";
import type { LedgerEntry } from "../../src-shared/server-api/credits";

const columns = ["id", "at_utc", "bucket", "kind", "amount_usd", "balance_after_usd", "user", "call_id", "number", "destination", "billed_seconds", "note", "note_code", "note_value"];

const dollars = (micros: number): string => `${micros < 0 ? "-" : ""}${Math.floor(Math.abs(micros) / 1e6)}.${String(Math.abs(micros) % 1e6).padStart(6, "0")}`;

/** Machine-readable: the note code stays a code, for any spreadsheet language. */
export function ledgerCsv(entries: readonly LedgerEntry[]): string {
  const lines = entries.map((e) =>
    [e.id, new Date(e.at).toISOString(), e.bucket, e.kind, dollars(e.amountMicros), dollars(e.balanceAfterMicros), e.userName, e.callId, e.number, e.destination, e.billedSeconds, e.note, e.noteCode, e.noteValue]
      .map(csvCell)
      .join(","),
  );
  return [columns.join(","), ...lines].join("\r\n") + "\r\n";
}
