import type { TariffRow } from "../../src-shared/credits/tariff";
import { parseTariffCsv } from "../../src-shared/credits/tariff-csv";
import { diffTariff } from "../../src-shared/credits/tariff-diff";
import type { TariffPreviewSummary } from "./import-protocol";

/** What runs on the import worker: parse, check and compare, no I/O (the inline parser runs the same). */
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
