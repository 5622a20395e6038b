import { splitCsvLine } from "./csv-line";
import { readDestination, readFee, readIncrements, readKind, readPrefix, readRate, readUtcDate } from "./tariff-csv-fields";
import type { Field, TariffRejectCode } from "./tariff-csv-fields";
import { periodsOverlap } from "./tariff";
import type { TariffRow } from "./tariff";

/** The columns of a tariff CSV, in any order (see TARIFF-CSV.md). */
export const tariffCsvColumns = [
  "prefix",
  "destination",
  "kind",
  "rate_per_minute_usd",
  "connection_fee_usd",
  "increments",
  "effective_from",
  "effective_to",
] as const;
type Column = (typeof tariffCsvColumns)[number];

export interface TariffRejection {
  /** 1-based line in the file; the header is line 1. */
  line: number;
  code: TariffRejectCode;
  reason: string;
}

export interface TariffCsvResult {
  rows: TariffRow[];
  rejected: TariffRejection[];
}

type ColumnIndex = Record<Column, number>;

function readHeader(line: string): { ok: true; index: ColumnIndex } | { ok: false; reason: string } {
  const split = splitCsvLine(line.replace(/^\uFEFF/, ""));
  if (!split.ok) return { ok: false, reason: `header: ${split.problem}` };
  const names = split.fields.map((f) => f.toLowerCase());
  const missing = tariffCsvColumns.filter((c) => !names.includes(c));
  const unknown = names.filter((n) => !(tariffCsvColumns as readonly string[]).includes(n));
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (missing.length > 0 || unknown.length > 0 || repeated.length > 0) {
    const parts = [
      missing.length > 0 ? `missing ${missing.join(", ")}` : "",
      unknown.length > 0 ? `unknown ${unknown.map((n) => `"${n}"`).join(", ")}` : "",
      repeated.length > 0 ? `repeated ${repeated.join(", ")}` : "",
    ];
    return { ok: false, reason: `header must name the columns ${tariffCsvColumns.join(",")}: ${parts.filter(Boolean).join("; ")}` };
  }
  return { ok: true, index: Object.fromEntries(tariffCsvColumns.map((c) => [c, names.indexOf(c)])) as ColumnIndex };
}

type RowRead = { ok: true; row: TariffRow } | { ok: false; code: TariffRejectCode; reason: string };

function readRow(fields: readonly string[], index: ColumnIndex): RowRead {
  const cell = (c: Column) => (fields[index[c]] ?? "").trim();
  // Columns are checked in the documented order; the first problem is the one reported.
  const prefix = readPrefix(cell("prefix"));
  if (!prefix.ok) return prefix;
  const destination = readDestination(cell("destination"));
  if (!destination.ok) return destination;
  const kind = readKind(cell("kind"));
  if (!kind.ok) return kind;
  const rate = readRate(cell("rate_per_minute_usd"));
  if (!rate.ok) return rate;
  const fee = readFee(cell("connection_fee_usd"));
  if (!fee.ok) return fee;
  const increments = readIncrements(cell("increments"));
  if (!increments.ok) return increments;
  const from = readUtcDate(cell("effective_from"), "effective_from");
  if (!from.ok) return from;
  const toText = cell("effective_to");
  const to: Field<number | null> = toText === "" ? { ok: true, value: null } : readUtcDate(toText, "effective_to");
  if (!to.ok) return to;
  if (to.value !== null && to.value <= from.value) return { ok: false, code: "bad_period", reason: "effective_to must be after effective_from" };
  return {
    ok: true,
    row: {
      prefix: prefix.value,
      destination: destination.value,
      kind: kind.value,
      ratePerMinuteMicros: rate.value,
      connectionFeeMicros: fee.value,
      increments: increments.value,
      effectiveFrom: from.value,
      effectiveTo: to.value,
    },
  };
}

interface Accepted {
  row: TariffRow;
  line: number;
}

/**
 * Adds the row to its prefix's accepted rows, or says why not: the prefix
 * already has a row, earlier in the file, whose period meets this one's.
 */
function admit(accepted: Accepted[], row: TariffRow, line: number): { code: TariffRejectCode; reason: string } | null {
  // `accepted` is sorted by effectiveFrom and free of overlaps: only the neighbours around the insertion point can meet the new row.
  let lo = 0;
  let hi = accepted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (accepted[mid]!.row.effectiveFrom < row.effectiveFrom) lo = mid + 1;
    else hi = mid;
  }
  for (const other of [accepted[lo - 1], accepted[lo]]) {
    if (other === undefined || !periodsOverlap(other.row, row)) continue;
    const same = other.row.effectiveFrom === row.effectiveFrom && other.row.effectiveTo === row.effectiveTo;
    return same
      ? { code: "duplicate", reason: `duplicate of line ${other.line}: prefix ${row.prefix} with the same effective period` }
      : { code: "overlapping_period", reason: `effective period overlaps line ${other.line} for prefix ${row.prefix}` };
  }
  accepted.splice(lo, 0, { row, line });
  return null;
}

/**
 * Reads a tariff CSV (format in TARIFF-CSV.md). Never throws on bad input:
 * every line that cannot be imported is in `rejected` with its reason, and
 * `rows` holds the rest, in file order. Of two rows that clash, the later
 * line is the one refused.
 */
export function parseTariffCsv(text: string): TariffCsvResult {
  const lines = text.split(/\r\n|\n|\r/);
  const rows: TariffRow[] = [];
  const rejected: TariffRejection[] = [];
  const headerAt = lines.findIndex((l) => l.trim() !== "");
  const header = headerAt < 0 ? null : readHeader(lines[headerAt]!);
  if (header === null || !header.ok) {
    rejected.push({ line: headerAt + 1 || 1, code: "bad_header", reason: header?.reason ?? "the file is empty: it needs a header line" });
    return { rows, rejected };
  }
  const byPrefix = new Map<string, Accepted[]>();
  for (let i = headerAt + 1; i < lines.length; i += 1) {
    const text = lines[i]!;
    if (text.trim() === "") continue;
    const line = i + 1;
    const split = splitCsvLine(text);
    if (!split.ok) {
      rejected.push({ line, code: "bad_quoting", reason: split.problem });
      continue;
    }
    if (split.fields.length !== tariffCsvColumns.length) {
      rejected.push({ line, code: "wrong_column_count", reason: `${split.fields.length} columns, expected ${tariffCsvColumns.length}` });
      continue;
    }
    const read = readRow(split.fields, header.index);
    if (!read.ok) {
      rejected.push({ line, code: read.code, reason: read.reason });
      continue;
    }
    let accepted = byPrefix.get(read.row.prefix);
    if (accepted === undefined) byPrefix.set(read.row.prefix, (accepted = []));
    const problem = admit(accepted, read.row, line);
    if (problem) rejected.push({ line, ...problem });
    else rows.push(read.row);
  }
  return { rows, rejected };
}
