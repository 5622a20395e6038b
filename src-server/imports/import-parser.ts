import type { Knex } from "knex";
import { Worker } from "node:worker_threads";
import { buildRater, packedRater, type Rater } from "../../src-shared/credits/rater";
import type { TariffRow } from "../../src-shared/credits/tariff";
import { parseTariffCsv, type TariffRejection } from "../../src-shared/credits/tariff-csv";
import { parseContactCsv, type ContactCsvReport } from "../../src-shared/crm/contact-csv";
import { loadTariffRows, writeTariffRows } from "../credits/tariff-repo";
import { dialectOf, type DatabaseTarget } from "../db/open-database";
import type { FromImportWorker, TariffPreviewSummary, ToImportWorker } from "./import-protocol";
import { previewTariffFile } from "./import-work";

/** A checked tariff file: the verdict first, the rows written only if it is going to be imported. */
export interface ParsedTariff {
  /** Valid rows. */
  count: number;
  rejected: TariffRejection[];
  /** Writes the valid rows as the pending version `versionId` of `db`; the rater of those rows comes back. */
  write(db: Knex, versionId: number): Promise<Rater<TariffRow>>;
  /** Not importing after all: the rows are let go. */
  drop(): void;
}

/**
 * Parsing and checking of the files operators and admins import, and the
 * heavy tariff work around them: writing a version's rows, copying them for
 * a restore, and building the rater of a stored version.
 */
export interface ImportParser {
  parseTariff(csv: string): Promise<ParsedTariff>;
  /** What `csv` changes against the stored version `current` (null: none). */
  previewTariff(db: Knex, csv: string, current: number | null, listLimit: number): Promise<TariffPreviewSummary>;
  /** Version `from`'s rows written again as the pending version `to`; their rater comes back. */
  copyTariff(db: Knex, from: number, to: number): Promise<Rater<TariffRow>>;
  /** The rater of a stored version. */
  loadRater(db: Knex, versionId: number): Promise<Rater<TariffRow>>;
  parseContacts(csv: string, country: string): Promise<ContactCsvReport>;
  close(): Promise<void>;
}

/** On the caller's thread: for tests of other routes and tools that import nothing large. */
export function inlineImportParser(): ImportParser {
  return {
    parseTariff(csv) {
      const { rows, rejected } = parseTariffCsv(csv);
      return Promise.resolve({
        count: rows.length,
        rejected,
        async write(db, versionId) {
          const rater = buildRater(rows);
          await writeTariffRows(db, versionId, rows);
          return rater;
        },
        drop: () => undefined,
      });
    },
    previewTariff: async (db, csv, current, listLimit) => previewTariffFile(csv, current === null ? [] : await loadTariffRows(db, current), listLimit),
    async copyTariff(db, from, to) {
      const rows = await loadTariffRows(db, from);
      const rater = buildRater(rows);
      await writeTariffRows(db, to, rows);
      return rater;
    },
    loadRater: async (db, versionId) => buildRater(await loadTariffRows(db, versionId)),
    parseContacts: (csv, country) => Promise.resolve(parseContactCsv(csv, country)),
    close: () => Promise.resolve(),
  };
}

interface PgConnection {
  host?: string;
  port?: number | string;
  user?: string;
  password?: string;
  database?: string;
}

/** How another thread opens the database `db` is connected to (knex keeps a PostgreSQL URL as its parts). */
export function databaseTarget(db: Knex): DatabaseTarget {
  const connection = (db.client as { config: { connection?: unknown } }).config.connection;
  if (dialectOf(db) === "postgres") {
    if (typeof connection === "string") return { kind: "postgres", url: connection };
    const parts = connection as PgConnection | undefined;
    if (parts?.host !== undefined && parts.database !== undefined) {
      const who = parts.user === undefined ? "" : `${encodeURIComponent(parts.user)}${parts.password === undefined ? "" : `:${encodeURIComponent(parts.password)}`}@`;
      const host = parts.host.includes(":") ? `[${parts.host}]` : parts.host;
      return { kind: "postgres", url: `postgres://${who}${host}${parts.port === undefined ? "" : `:${parts.port}`}/${encodeURIComponent(parts.database)}` };
    }
  } else {
    const file = (connection as { filename?: unknown } | undefined)?.filename;
    if (typeof file === "string" && file !== ":memory:" && file !== "") return { kind: "sqlite", file };
  }
  throw new Error("the import thread cannot open this database (an in-memory SQLite, or PostgreSQL through a socket)");
}

type Reply<T extends FromImportWorker["t"]> = Extract<FromImportWorker, { t: T }>;

interface Waiting {
  resolve(message: FromImportWorker): void;
  reject(error: Error): void;
}

/**
 * How long the import thread stays with nothing to do: a 400,000-row file
 * leaves hundreds of MB of heap behind it that only the thread's end gives
 * back, and starting one again costs a few tens of milliseconds.
 */
const idleMs = 500;

/**
 * The import thread (dist/server/import-worker.mjs), started on first use and
 * again after it died (a file too large for its heap fails that import only)
 * or was let go when idle. Each request has an id; at most one reply per id
 * is awaited at a time.
 */
export function importWorker(script: URL | string): ImportParser {
  let worker: Worker | null = null;
  let nextId = 1;
  const waiting = new Map<number, Waiting>();
  // Parsed files whose rows wait in the thread for a write or a drop.
  const held = new Set<number>();
  let idle: NodeJS.Timeout | null = null;

  const retireWhenIdle = (): void => {
    if (idle !== null) clearTimeout(idle);
    idle = null;
    if (worker === null || waiting.size > 0 || held.size > 0) return;
    idle = setTimeout(() => {
      idle = null;
      const retired = worker;
      if (retired === null || waiting.size > 0 || held.size > 0) return;
      worker = null;
      // It closes its connections and ends; the next request starts a fresh one.
      retired.postMessage({ t: "close", id: 0 } satisfies ToImportWorker);
      // Ended for sure, even if a connection would not close.
      setTimeout(() => void retired.terminate(), 10_000).unref();
    }, idleMs);
    idle.unref();
  };

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
      retireWhenIdle();
    });
    // Only the thread in use fails what waits: a retired one had nothing left.
    fresh.on("error", (error) => {
      if (worker === fresh) failAll(error);
    });
    fresh.on("exit", (code) => {
      if (worker !== fresh) return;
      worker = null;
      held.clear();
      failAll(new Error(`the import worker exited (${code})`));
    });
    worker = fresh;
    return fresh;
  };

  const send = (message: ToImportWorker): void => {
    if (idle !== null) clearTimeout(idle);
    idle = null;
    started().postMessage(message);
  };
  const ask = <T extends FromImportWorker["t"]>(message: ToImportWorker, expected: T): Promise<Reply<T>> =>
    new Promise<FromImportWorker>((resolve, reject) => {
      waiting.set(message.id, { resolve, reject });
      send(message);
    }).then((reply) => {
      if (reply.t !== expected) throw new Error(`the import worker answered ${reply.t} to ${message.t}`);
      return reply as Reply<T>;
    });

  // Only a reference is taken over here: the trie and columns arrive by transfer, built on the worker.
  const packed = async (message: ToImportWorker): Promise<Rater<TariffRow>> => packedRater((await ask(message, "packed")).packed);

  return {
    async parseTariff(csv) {
      const id = nextId++;
      held.add(id);
      const verdict = await ask({ t: "tariff", id, csv }, "tariff").catch((error: unknown) => {
        held.delete(id);
        throw error;
      });
      const letGo = (): void => {
        held.delete(id);
        retireWhenIdle();
      };
      return {
        count: verdict.count,
        rejected: verdict.rejected,
        write: (db, versionId) => packed({ t: "write", id, db: databaseTarget(db), versionId }).finally(letGo),
        drop: () => {
          send({ t: "drop", id });
          letGo();
        },
      };
    },
    async previewTariff(db, csv, current, listLimit) {
      return (await ask({ t: "preview", id: nextId++, db: databaseTarget(db), csv, current, listLimit }, "preview")).preview;
    },
    copyTariff: (db, from, to) => packed({ t: "copy", id: nextId++, db: databaseTarget(db), from, to }),
    loadRater: (db, versionId) => packed({ t: "load", id: nextId++, db: databaseTarget(db), versionId }),
    async parseContacts(csv, country) {
      return (await ask({ t: "contacts", id: nextId++, csv, country }, "contacts")).report;
    },
    async close() {
      if (idle !== null) clearTimeout(idle);
      idle = null;
      const running = worker;
      worker = null;
      if (running !== null) await running.terminate();
    },
  };
}
