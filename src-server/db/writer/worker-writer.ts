import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import { errorFromBody, isErrorCode } from "../../../src-shared/errors";
import type { DurableWriter } from "./durable-writer";
import type { WriteLog } from "./write-context";
import type { WriteInput, WriteOpName, WriteResult } from "./write-ops";
import type { FromWorker, ToWorker, WriterWorkerData } from "./writer-protocol";

interface Waiting {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export interface WorkerWriterOptions {
  /** The migrated SQLite file. */
  file: string;
  /** The bundled worker (dist/server/writer-worker.mjs). */
  script: URL | string;
  log: WriteLog;
}

const readyTimeoutMs = 10_000;

export interface WorkerWriter extends DurableWriter {
  /**
   * A new port to the writer thread, for the import thread to send a pending
   * tariff version's rows through: they are written between urgent writes,
   * never holding the lock against them (background-rows.ts).
   */
  tariffRowsPort(): MessagePort;
}

/**
 * The durable writer on its own thread (SQLite only): the server's event loop
 * never waits for an fsync, so the PBX's authorize requests are answered
 * while call records and charges commit. A worker that dies fails what it held;
 * a commit that finds the database locked is retried on the worker (group-commit.ts).
 */
export async function startWorkerWriter(options: WorkerWriterOptions): Promise<WorkerWriter> {
  const worker = new Worker(options.script, { workerData: { file: options.file } satisfies WriterWorkerData });
  const waiting = new Map<number, Waiting>();
  const inFlight = new Set<Promise<unknown>>();
  let nextId = 1;
  let dead: Error | null = null;
  let onClosed: (() => void) | null = null;

  const failAll = (error: Error): void => {
    dead = error;
    for (const entry of waiting.values()) entry.reject(error);
    waiting.clear();
  };

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the writer worker did not start")), readyTimeoutMs);
    worker.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    worker.once("message", (message: FromWorker) => {
      clearTimeout(timer);
      if (message.t === "ready") resolve();
      else reject(new Error(`the writer worker said ${message.t} before ready`));
    });
  });

  worker.on("message", (message: FromWorker) => {
    switch (message.t) {
      case "done":
        waiting.get(message.id)?.resolve(message.value);
        waiting.delete(message.id);
        break;
      case "failed": {
        const { code, message: text } = message.error;
        waiting.get(message.id)?.reject(code !== null && isErrorCode(code) ? errorFromBody(message.error, "internal", text) : new Error(text));
        waiting.delete(message.id);
        break;
      }
      case "log":
        options.log[message.level](message.details, message.message);
        break;
      case "closed":
        onClosed?.();
        break;
      case "ready":
        break;
    }
  });
  worker.on("error", (error) => {
    options.log.error({ err: error.message }, "the writer worker failed");
    failAll(error);
  });
  worker.on("exit", (code) => failAll(new Error(`the writer worker exited (${code})`)));

  const send = (message: ToWorker): void => worker.postMessage(message);
  return {
    tariffRowsPort() {
      const { port1, port2 } = new MessageChannel();
      // A dead writer never answers: the sender's port closes with it, and its write fails.
      if (dead === null) worker.postMessage({ t: "tariffRows", port: port1 } satisfies ToWorker, [port1]);
      else port1.close();
      return port2;
    },
    run<K extends WriteOpName>(name: K, input: WriteInput<K>): Promise<WriteResult<K>> {
      if (dead !== null) return Promise.reject(dead);
      const id = nextId++;
      const result = new Promise<WriteResult<K>>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
        send({ t: "run", id, name, input });
      });
      inFlight.add(result);
      const forget = (): void => void inFlight.delete(result);
      result.then(forget, forget);
      return result;
    },
    async idle() {
      await Promise.allSettled(inFlight);
    },
    async close() {
      if (dead !== null) return;
      await new Promise<void>((resolve) => {
        onClosed = resolve;
        send({ t: "close" });
      });
      await worker.terminate();
    },
  };
}
