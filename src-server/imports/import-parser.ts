import { setImmediate as nextTurn } from "node:timers/promises";
import { Worker } from "node:worker_threads";
import type { RaterIndex } from "../../src-shared/credits/rater";
import type { TariffRow } from "../../src-shared/credits/tariff";
import type { TariffRejection } from "../../src-shared/credits/tariff-csv";
import { parseContactCsv, type ContactCsvReport } from "../../src-shared/crm/contact-csv";
import { rowSlice, type FromImportWorker, type TariffPreviewSummary, type ToImportWorker } from "./import-protocol";
import { parseTariffFile, previewTariffFile } from "./import-work";

/** A checked tariff file: the verdict first, the rows only if they are going to be written. */
export interface ParsedTariff {
  /** Valid rows. */
  count: number;
  rejected: TariffRejection[];
  /** The valid rows' trie, built with them; null: build it where it is needed. */
  index: RaterIndex | null;
  /** The valid rows, in file order. */
  take(): Promise<TariffRow[]>;
  /** Not importing after all: the rows are let go. */
  drop(): void;
}

/** Parsing and checking of the files operators and admins import. */
export interface ImportParser {
  parseTariff(csv: string): Promise<ParsedTariff>;
  previewTariff(csv: string, current: readonly TariffRow[], listLimit: number): Promise<TariffPreviewSummary>;
  parseContacts(csv: string, country: string): Promise<ContactCsvReport>;
  close(): Promise<void>;
}

/** On the caller's thread: for tests of other routes and tools that import nothing large. */
export function inlineImportParser(): ImportParser {
  return {
    parseTariff(csv) {
      const { rows, rejected, index } = parseTariffFile(csv);
      return Promise.resolve({ count: rows.length, rejected, index, take: () => Promise.resolve(rows), drop: () => undefined });
    },
    previewTariff: (csv, current, listLimit) => Promise.resolve(previewTariffFile(csv, current, listLimit)),
    parseContacts: (csv, country) => Promise.resolve(parseContactCsv(csv, country)),
    close: () => Promise.resolve(),
  };
}

type Reply<T extends FromImportWorker["t"]> = Extract<FromImportWorker, { t: T }>;

interface Waiting {
  resolve(message: FromImportWorker): void;
  reject(error: Error): void;
}

/**
 * The import thread (dist/server/import-worker.mjs), started on first use and
 * again after it died (a file too large for its heap fails that import only).
 * Each request has an id; at most one reply per id is awaited at a time.
 */
export function importWorker(script: URL | string): ImportParser {
  let worker: Worker | null = null;
  let nextId = 1;
  const waiting = new Map<number, Waiting>();

  const failAll = (error: Error): void => {
    for (const entry of waiting.values()) entry.reject(error);
    waiting.clear();
  };

  const started = (): Worker => {
    if (worker !== null) return worker;
    const fresh = new Worker(script);
    fresh.on("message", (message: FromImportWorker) => {
      const entry = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.t === "failed") entry?.reject(new Error(`import worker: ${message.message}`));
      else entry?.resolve(message);
    });
    fresh.on("error", (error) => failAll(error));
    fresh.on("exit", (code) => {
      if (worker === fresh) worker = null;
      failAll(new Error(`the import worker exited (${code})`));
    });
    worker = fresh;
    return fresh;
  };

  const send = (message: ToImportWorker): void => started().postMessage(message);
  const ask = <T extends FromImportWorker["t"]>(message: ToImportWorker & { t: T }): Promise<Reply<T>> =>
    new Promise<FromImportWorker>((resolve, reject) => {
      waiting.set(message.id, { resolve, reject });
      send(message);
    }).then((reply) => {
      if (reply.t !== message.t) throw new Error(`the import worker answered ${reply.t} to ${message.t}`);
      return reply as Reply<T>;
    });

  return {
    async parseTariff(csv) {
      const id = nextId++;
      const verdict = await ask({ t: "tariff", id, csv });
      return {
        count: verdict.count,
        rejected: verdict.rejected,
        index: verdict.index,
        async take() {
          const rows: TariffRow[] = [];
          // One slice per turn of the event loop: requests are answered between them.
          while (rows.length < verdict.count) {
            const slice = await ask({ t: "rows", id, from: rows.length });
            if (slice.rows.length === 0) throw new Error(`the import worker had ${rows.length} of ${verdict.count} rows`);
            for (const row of slice.rows) rows.push(row);
          }
          return rows;
        },
        drop: () => send({ t: "drop", id }),
      };
    },
    async previewTariff(csv, current, listLimit) {
      const id = nextId++;
      for (let from = 0; from < current.length; from += rowSlice) {
        send({ t: "current", id, rows: current.slice(from, from + rowSlice) });
        await nextTurn();
      }
      return (await ask({ t: "preview", id, csv, listLimit })).preview;
    },
    async parseContacts(csv, country) {
      return (await ask({ t: "contacts", id: nextId++, csv, country })).report;
    },
    async close() {
      const running = worker;
      worker = null;
      if (running !== null) await running.terminate();
    },
  };
}
