/** Messages between the server thread and the writer worker (structured clone). */
export type ToWorker = { t: "run"; id: number; name: string; input: unknown } | { t: "close" };

export type FromWorker =
  | { t: "ready" }
  | { t: "done"; id: number; value: unknown }
  | { t: "failed"; id: number; error: { code: string | null; message: string } }
  | { t: "log"; level: "warn" | "error"; details: object; message: string }
  | { t: "closed" };

export interface WriterWorkerData {
  /** The SQLite file, already migrated by the server thread. */
  file: string;
}
