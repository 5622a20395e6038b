import { parentPort, workerData } from "node:worker_threads";
import { CallerError } from "../../../src-shared/errors";
import { openDatabase } from "../open-database";
import { RaterCache } from "../../credits/rater-cache";
import { serveTariffRows } from "./background-rows";
import { backgroundThreadNice, lowerThisThreadPriority } from "../../imports/thread-priority";
import { GroupCommitter } from "./group-commit";
import type { FromWorker, ToWorker, WriterWorkerData } from "./writer-protocol";
import { writeOps } from "./write-ops";

/**
 * The writer thread: its own SQLite connection (WAL: the server thread keeps
 * reading while this one commits), so no fsync ever blocks the server's event
 * loop. Entry point of dist/server/writer-worker.mjs.
 */
async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error("writer-worker runs only as a worker thread");
  const post = (message: FromWorker): void => port.postMessage(message);
  const { file } = workerData as WriterWorkerData;
  const db = await openDatabase({ kind: "sqlite", file });
  // No PBX request waits on a commit here (an authorize is answered before its record is written), yet a tariff's rows are written here too.
  lowerThisThreadPriority(backgroundThreadNice);
  // This thread's own raters: charges committed here are priced without asking the server thread.
  const committer = new GroupCommitter(db, writeOps, {
    raters: new RaterCache(),
    log: {
      warn: (details, message) => post({ t: "log", level: "warn", details, message }),
      error: (details, message) => post({ t: "log", level: "error", details, message }),
    },
  });
  port.on("message", (message: ToWorker) => {
    if (message.t === "close") {
      void committer
        .idle()
        .then(() => db.destroy())
        .then(() => post({ t: "closed" }));
      return;
    }
    if (message.t === "tariffRows") {
      serveTariffRows(message.port, committer);
      return;
    }
    const { id } = message;
    committer.run(message.name, message.input).then(
      (value) => post({ t: "done", id, value }),
      (error: unknown) =>
        post({
          t: "failed",
          id,
          error: { code: error instanceof CallerError ? error.code : null, message: error instanceof Error ? error.message : String(error) },
        }),
    );
  });
  post({ t: "ready" });
}

void main();
