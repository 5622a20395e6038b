import type { MessagePort } from "node:worker_threads";
import type { PackedTariff } from "../../src-shared/credits/rater";
import type { TariffRejection } from "../../src-shared/credits/tariff-csv";
import type { TariffDiff } from "../../src-shared/credits/tariff-diff";
import type { ErrorBody } from "../../src-shared/errors";
import type { ImportContactsReply } from "../../src-shared/server-api/crm";
import type { OperatorTariffImportBody } from "../../src-shared/server-api/operator";
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

/** A tariff file: as text (the CLI), or the raw request body sent ahead in chunks (`upload`), read and checked there. */
export type TariffText = { csv: string } | { upload: number };

/** A tariff import request's fields besides its file, as read from its body on the import thread. */
export type TariffImportFields = Omit<OperatorTariffImportBody, "csv">;

/**
 * An error thrown on the import thread, as it reaches the client: its reply
 * (status and body, made by the same mapping as on the server's thread), or
 * the Fastify body error the server's own JSON parser would have answered.
 */
export type WireError = { reply: { status: number; body: ErrorBody }; detail: string } | { fastify: "FST_ERR_CTP_EMPTY_JSON_BODY" | "FST_ERR_CTP_INVALID_JSON_BODY" };

/**
 * Tariff rows never cross to the server's thread: the import thread reads
 * them through its own connection to the same database (`db`) and writes them
 * there too, except on SQLite with a writer thread, where they go to that
 * thread through `rows` (one lock: background-rows.ts). Only the packed rater
 * comes back, by transfer.
 */
export type ToImportWorker =
  /** A piece of request body `id`, in arrival order; the bytes are transferred. */
  | { t: "chunk"; id: number; bytes: ArrayBuffer }
  /** Parse and check a tariff file; its valid rows stay in the worker until written or dropped. */
  | { t: "tariff"; id: number; file: TariffText }
  /** Write a parsed file's rows as the pending version `versionId`. */
  | { t: "write"; id: number; db: DatabaseTarget; versionId: number; rows?: MessagePort }
  /** Copy version `from`'s rows into the pending version `to` (a restore). */
  | { t: "copy"; id: number; db: DatabaseTarget; from: number; to: number; rows?: MessagePort }
  /** A stored version's packed rater. */
  | { t: "load"; id: number; db: DatabaseTarget; versionId: number }
  /** Compare a file with version `current` (none: with nothing). */
  | { t: "preview"; id: number; db: DatabaseTarget; file: TariffText; current: number | null; listLimit: number }
  /** Read a contacts import's body (ImportContactsBody), parse its file and write its contacts for `companyId`. */
  | { t: "contacts"; id: number; db: DatabaseTarget; upload: number; companyId: number; now: number }
  /** A parsed file, or a request body, let go. */
  | { t: "drop"; id: number }
  /** Nothing left to do: close the connections and end the thread. */
  | { t: "close"; id: number };

export type FromImportWorker =
  /** `fields`: read from the uploaded body, when the file came as one. */
  | { t: "tariff"; id: number; count: number; rejected: TariffRejection[]; fields?: TariffImportFields }
  | { t: "packed"; id: number; packed: PackedTariff }
  | { t: "preview"; id: number; preview: TariffPreviewSummary }
  | { t: "contacts"; id: number; reply: ImportContactsReply }
  | { t: "failed"; id: number; error: WireError };
