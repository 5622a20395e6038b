import { readFileSync } from "node:fs";
import { getPriority } from "node:os";
import { Worker } from "node:worker_threads";
import { transformSync } from "esbuild";
import { describe, expect, it } from "vitest";

/** The module as CommonJS, run in a worker thread of its own: it lowers that thread and reports what the kernel says. */
function workerSource(nice: number): string {
  const compiled = transformSync(readFileSync(new URL("./thread-priority.ts", import.meta.url), "utf8"), { loader: "ts", format: "cjs" }).code;
  return `
const { parentPort } = require("node:worker_threads");
const { readlinkSync } = require("node:fs");
const { getPriority } = require("node:os");
const module = { exports: {} };
(function (exports, module) { ${compiled} })(module.exports, module);
const took = module.exports.lowerThisThreadPriority(${nice});
const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
parentPort.postMessage({ took, tid, mine: getPriority(tid), main: getPriority(process.pid) });
`;
}

describe("lowerThisThreadPriority", () => {
  it.runIf(process.platform === "linux")("lowers the calling thread only: the process's main thread keeps its priority", async () => {
    const before = getPriority(process.pid);
    const seen = await new Promise<{ took: boolean; tid: number; mine: number; main: number }>((resolve, reject) => {
      const worker = new Worker(workerSource(12), { eval: true });
      worker.once("message", (message: { took: boolean; tid: number; mine: number; main: number }) => {
        resolve(message);
        void worker.terminate();
      });
      worker.once("error", reject);
    });
    expect(seen).toMatchObject({ took: true, mine: 12, main: before });
    expect(seen.tid).not.toBe(process.pid);
    expect(getPriority(process.pid)).toBe(before);
  });
});
