import type { MessagePort } from "node:worker_threads";
import type { TariffRow } from "../../../src-shared/credits/tariff";
import { insertTariffRows } from "../../credits/tariff-repo";
import type { GroupCommitter } from "./group-commit";

/**
 * Rows per background step on the writer thread: an authorize queued while a
 * tariff is written waits for at most one step's insert (about a millisecond).
 */
export const tariffRowsPerStep = 200;

/** Steps sent ahead of the writer's answers: enough to keep it busy between urgent writes, little to hold. */
const stepsAhead = 4;

/** Import thread → writer thread, over a port of their own (structured clone). */
type ToRowsWriter = { t: "rows"; seq: number; versionId: number; rows: TariffRow[] };
type FromRowsWriter = { t: "written"; seq: number } | { t: "failed"; seq: number; message: string };

/**
 * Writer thread: a pending version's rows that arrive on `port` are written
 * as background steps of `committer`, each answered once committed. Once the
 * sender is gone (its import failed), what is still queued is skipped: that
 * version is deleted anyway.
 */
export function serveTariffRows(port: MessagePort, committer: GroupCommitter): void {
  let open = true;
  port.once("close", () => (open = false));
  port.on("message", (message: ToRowsWriter) => {
    const { seq, versionId, rows } = message;
    committer
      .background(async (trx) => {
        if (open) await insertTariffRows(trx, versionId, rows);
      })
      .then(
        () => open && port.postMessage({ t: "written", seq } satisfies FromRowsWriter),
        (error: unknown) => open && port.postMessage({ t: "failed", seq, message: error instanceof Error ? error.message : String(error) } satisfies FromRowsWriter),
      );
  });
}

/**
 * Import thread: `rows` of the pending version `versionId` written by the
 * writer thread, a few steps ahead of its answers; resolves once every row is
 * committed, rejects on the first step that failed. The port is closed either way.
 */
export function sendTariffRows(port: MessagePort, versionId: number, rows: readonly TariffRow[]): Promise<void> {
  const steps = Math.ceil(rows.length / tariffRowsPerStep);
  return new Promise<void>((resolve, reject) => {
    let sent = 0;
    let written = 0;
    let finished = false;
    const finish = (error?: Error): void => {
      if (finished) return;
      finished = true;
      port.close();
      if (error === undefined) resolve();
      else reject(error);
    };
    const fill = (): void => {
      for (; sent < steps && sent - written < stepsAhead; sent += 1) {
        const from = sent * tariffRowsPerStep;
        port.postMessage({ t: "rows", seq: sent, versionId, rows: rows.slice(from, from + tariffRowsPerStep) } satisfies ToRowsWriter);
      }
    };
    port.on("message", (message: FromRowsWriter) => {
      if (message.t === "failed") return finish(new Error(message.message));
      written += 1;
      if (written === steps) return finish();
      fill();
    });
    port.once("close", () => finish(new Error("the writer thread closed before the tariff's rows were written")));
    if (steps === 0) finish();
    else fill();
  });
}
