import type { RaterIndex } from "../../src-shared/credits/rater";
import type { TariffRow } from "../../src-shared/credits/tariff";
import type { TariffRejection } from "../../src-shared/credits/tariff-csv";
import type { TariffDiff } from "../../src-shared/credits/tariff-diff";
import type { ContactCsvReport } from "../../src-shared/crm/contact-csv";

/**
 * Rows cross between the threads in slices this size: each slice is copied
 * (structured clone) on the server's thread in well under a millisecond, so
 * authorize requests are answered between slices.
 */
export const rowSlice = 2_000;

/** A preview's lists, cut to what the operator's page shows. */
export interface TariffPreviewSummary {
  rows: number;
  rejected: TariffRejection[];
  counts: { added: number; changed: number; removed: number; unchanged: number };
  added: TariffDiff["added"];
  changed: TariffDiff["changed"];
  removed: TariffDiff["removed"];
}

export type ToImportWorker =
  /** Parse and check a tariff file; its valid rows stay in the worker until taken or dropped. */
  | { t: "tariff"; id: number; csv: string }
  /** The next slice of a parsed tariff's rows, from `from`. */
  | { t: "rows"; id: number; from: number }
  /** One slice of the tariff in force, for the preview with the same id. */
  | { t: "current"; id: number; rows: TariffRow[] }
  | { t: "preview"; id: number; csv: string; listLimit: number }
  | { t: "contacts"; id: number; csv: string; country: string }
  | { t: "drop"; id: number };

export type FromImportWorker =
  | { t: "tariff"; id: number; count: number; rejected: TariffRejection[]; index: RaterIndex | null }
  | { t: "rows"; id: number; rows: TariffRow[] }
  | { t: "preview"; id: number; preview: TariffPreviewSummary }
  | { t: "contacts"; id: number; report: ContactCsvReport }
  | { t: "failed"; id: number; message: string };
