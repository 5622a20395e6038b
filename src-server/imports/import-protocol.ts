import type { PackedTariff } from "../../src-shared/credits/rater";
import type { TariffRejection } from "../../src-shared/credits/tariff-csv";
import type { TariffDiff } from "../../src-shared/credits/tariff-diff";
import type { ContactCsvReport } from "../../src-shared/crm/contact-csv";
import type { DatabaseTarget } from "../db/open-database";

/** A preview's lists, cut to what the operator's page shows. */
export interface TariffPreviewSummary {
  rows: number;
  rejected: TariffRejection[];
  counts: { added: number; changed: number; removed: number; unchanged: number };
  added: TariffDiff["added"];
  changed: TariffDiff["changed"];
  removed: TariffDiff["removed"];
}

/**
 * Tariff rows never cross to the server's thread: the import thread reads and
 * writes them through its own connection to the same database (`db`), and
 * hands back only the packed rater, by transfer.
 */
export type ToImportWorker =
  /** Parse and check a tariff file; its valid rows stay in the worker until written or dropped. */
  | { t: "tariff"; id: number; csv: string }
  /** Write a parsed file's rows as the pending version `versionId`. */
  | { t: "write"; id: number; db: DatabaseTarget; versionId: number }
  /** Copy version `from`'s rows into the pending version `to` (a restore). */
  | { t: "copy"; id: number; db: DatabaseTarget; from: number; to: number }
  /** A stored version's packed rater. */
  | { t: "load"; id: number; db: DatabaseTarget; versionId: number }
  /** Compare a file with version `current` (none: with nothing). */
  | { t: "preview"; id: number; db: DatabaseTarget; csv: string; current: number | null; listLimit: number }
  | { t: "contacts"; id: number; csv: string; country: string }
  | { t: "drop"; id: number }
  /** Nothing left to do: close the connections and end the thread. */
  | { t: "close"; id: number };

export type FromImportWorker =
  | { t: "tariff"; id: number; count: number; rejected: TariffRejection[] }
  | { t: "packed"; id: number; packed: PackedTariff }
  | { t: "preview"; id: number; preview: TariffPreviewSummary }
  | { t: "contacts"; id: number; report: ContactCsvReport }
  | { t: "failed"; id: number; message: string };
