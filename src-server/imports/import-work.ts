import { indexTariff, type RaterIndex } from "../../src-shared/credits/rater";
import type { TariffRow } from "../../src-shared/credits/tariff";
import { parseTariffCsv, type TariffCsvResult } from "../../src-shared/credits/tariff-csv";
import { diffTariff } from "../../src-shared/credits/tariff-diff";
import type { TariffPreviewSummary } from "./import-protocol";

/** What runs on the import worker: parse, check and compare, no I/O (the inline parser runs the same). */
export function parseTariffFile(csv: string): TariffCsvResult & { index: RaterIndex | null } {
  const parsed = parseTariffCsv(csv);
  // The parser already refuses bad prefixes and overlaps; an index that still fails is built again where it is used.
  let index: RaterIndex | null = null;
  try {
    index = indexTariff(parsed.rows);
  } catch {
    index = null;
  }
  return { ...parsed, index };
}

export function previewTariffFile(csv: string, current: readonly TariffRow[], listLimit: number): TariffPreviewSummary {
  const { rows, rejected } = parseTariffCsv(csv);
  const diff = diffTariff(current, rows);
  return {
    rows: rows.length,
    rejected: rejected.slice(0, listLimit),
    counts: { added: diff.added.length, changed: diff.changed.length, removed: diff.removed.length, unchanged: diff.unchanged },
    added: diff.added.slice(0, listLimit),
    changed: diff.changed.slice(0, listLimit),
    removed: diff.removed.slice(0, listLimit),
  };
}

/** The typed arrays of an index, to hand over without copying. */
export function indexBuffers(index: RaterIndex | null): ArrayBuffer[] {
  if (index === null) return [];
  return [index.children, index.rowStart, index.rowCount, index.from, index.to, index.order].map((a) => a.buffer as ArrayBuffer);
}
