import type { MessagePort } from "node:worker_threads";

/** Messages between the server thread and the writer worker (structured clone). */
export type ToWorker =
  | { t: "run"; id: number; name: string; input: unknown }
  /** A port the import thread sends a pending tariff version's rows through (background-rows.ts). */
  | { t: "tariffRows"; port: MessagePort }
  | { t: "close" };

export type FromWorker =
  | { t: "ready" }
  | { t: "done"; id: number; value: unknown }
  /** A CallerError's body (code, reason, params) or, for any other error, its message alone. */
  | { t: "failed"; id: number; error: { code: string | null; message: string; reason?: string; params?: unknown } }
  | { t: "log"; level: "warn" | "error"; details: object; message: string }
  | { t: "closed" };

export interface WriterWorkerData {
  /** The SQLite file, already migrated by the server thread. */
  file: string;
}
