import { errorCodes } from "fastify";
import type { Knex } from "knex";
import { Worker, type MessagePort } from "node:worker_threads";
import type { z } from "zod";
import { buildRater, packedRater, type Rater } from "../../src-shared/credits/rater";
import type { TariffRow } from "../../src-shared/credits/tariff";
import { parseTariffCsv, type TariffRejection } from "../../src-shared/credits/tariff-csv";
import { ImportContactsBody, type ImportContactsReply } from "../../src-shared/server-api/crm";
import { OperatorTariffImportBody, TariffPreviewBody } from "../../src-shared/server-api/operator";
import { importContactsFile } from "../crm/contact-import";
import { RepliedError } from "../http/error-handler";
import { loadTariffRows, writeTariffRows } from "../credits/tariff-repo";
import { dialectOf, type DatabaseTarget } from "../db/open-database";
import type { FromImportWorker, TariffImportFields, TariffPreviewSummary, TariffText, ToImportWorker, WireError } from "./import-protocol";
import { JsonBodyError, previewTariffFile, readJsonBody } from "./import-work";

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
 * A request body on its way to where files are parsed, handed over piece by
 * piece as it arrives: the server's thread never holds, joins or parses it.
 */
export interface Upload {
  readonly uploadId: number;
  push(chunk: Uint8Array): void;
  /** Not going to be read (the request failed or ended early): its pieces are let go. Safe to call more than once. */
  discard(): void;
}

export function isUpload(value: unknown): value is Upload {
  return typeof value === "object" && value !== null && "uploadId" in value && typeof (value as Upload).push === "function";
}

/**
 * Parsing and checking of the files operators and admins import, and the
 * heavy tariff work around them: writing a version's rows, copying them for
 * a restore, and building the rater of a stored version.
 */
export interface ImportParser {
  parseTariff(csv: string): Promise<ParsedTariff>;
  /** A body for `parseTariffUpload` or `previewTariff`, to be pushed as it arrives. */
  receive(): Upload;
  /** A tariff import's body (OperatorTariffImportBody) read and checked as the route's JSON parser and schema would, and its file parsed. */
  parseTariffUpload(upload: Upload): Promise<{ fields: TariffImportFields; parsed: ParsedTariff }>;
  /** What a file (or a preview's body, TariffPreviewBody) changes against the stored version `current` (null: none). */
  previewTariff(db: Knex, file: string | Upload, current: number | null, listLimit: number): Promise<TariffPreviewSummary>;
  /** Version `from`'s rows written again as the pending version `to`; their rater comes back. */
  copyTariff(db: Knex, from: number, to: number): Promise<Rater<TariffRow>>;
  /** The rater of a stored version. */
  loadRater(db: Knex, versionId: number): Promise<Rater<TariffRow>>;
  /** A contacts import's body (ImportContactsBody) read and checked as the route's parser and schema would, its file parsed and its contacts written for `companyId`. */
  importContacts(db: Knex, body: Upload, companyId: number, now: number): Promise<ImportContactsReply>;
  close(): Promise<void>;
}

/** An error from where files are parsed, as the route's own parser or handler would have thrown it here. */
function serverError(error: unknown): unknown {
  return error instanceof JsonBodyError ? new errorCodes[error.fastify]() : error;
}

function fromWire(error: WireError): Error {
  return "fastify" in error ? new errorCodes[error.fastify]() : new RepliedError(error.reply, `import worker: ${error.detail}`);
}

/** On the caller's thread: for tests of other routes and tools that import nothing large. */
export function inlineImportParser(): ImportParser {
  let nextUpload = 1;
  const bodies = new Map<number, Uint8Array[]>();
  const readBody = <T>(upload: Upload, schema: z.ZodType<T>): T => {
    const chunks = bodies.get(upload.uploadId) ?? [];
    bodies.delete(upload.uploadId);
    try {
      return readJsonBody(chunks, schema);
    } catch (error) {
      throw serverError(error);
    }
  };
  const parseTariff = (csv: string): ParsedTariff => {
    const { rows, rejected } = parseTariffCsv(csv);
    return {
      count: rows.length,
      rejected,
      async write(db, versionId) {
        const rater = buildRater(rows);
        await writeTariffRows(db, versionId, rows);
        return rater;
      },
      drop: () => undefined,
    };
  };
  return {
    parseTariff: (csv) => Promise.resolve(parseTariff(csv)),
    receive() {
      const uploadId = nextUpload++;
      const chunks: Uint8Array[] = [];
      bodies.set(uploadId, chunks);
      // Copied: a chunk may be a view of the socket's read buffer.
      return { uploadId, push: (chunk) => chunks.push(new Uint8Array(chunk)), discard: () => bodies.delete(uploadId) };
    },
    parseTariffUpload(upload) {
      const { csv, ...fields } = readBody(upload, OperatorTariffImportBody);
      return Promise.resolve({ fields, parsed: parseTariff(csv) });
    },
    async previewTariff(db, file, current, listLimit) {
      const csv = typeof file === "string" ? file : readBody(file, TariffPreviewBody).csv;
      return previewTariffFile(csv, current === null ? [] : await loadTariffRows(db, current), listLimit);
    },
    async copyTariff(db, from, to) {
      const rows = await loadTariffRows(db, from);
      const rater = buildRater(rows);
      await writeTariffRows(db, to, rows);
      return rater;
    },
    loadRater: async (db, versionId) => buildRater(await loadTariffRows(db, versionId)),
    async importContacts(db, body, companyId, now) {
      const { csv, acceptValidRows } = readBody(body, ImportContactsBody);
      return importContactsFile(db, companyId, csv, acceptValidRows, now);
    },
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
 * A body's chunks are copied into blocks this large and each full block is
 * transferred: a few dozen messages for a 30 MB file, and no pause on the
 * server's thread longer than copying one socket chunk.
 */
const blockBytes = 1 << 20;

/** A body being received: its last block not yet sent, and the thread that holds the rest. */
interface Receiving {
  thread: Worker;
  flush(): void;
}

export interface ImportWorkerOptions {
  /**
   * SQLite's writer thread (WorkerWriter.tariffRowsPort): a port per tariff
   * write, through which the import thread hands it the rows, so an authorize
   * never waits for the lock behind them. Without it, on PostgreSQL (where
   * row inserts block no one) and for tools without a writer thread, the
   * import thread writes them itself.
   */
  tariffRowsPort?: () => MessagePort;
}

/**
 * The import thread (dist/server/import-worker.mjs), started on first use and
 * again after it died (a file too large for its heap fails that import only)
 * or was let go when idle. Each request has an id; at most one reply per id
 * is awaited at a time.
 */
export function importWorker(script: URL | string, options: ImportWorkerOptions = {}): ImportParser {
  let worker: Worker | null = null;
  let nextId = 1;
  const waiting = new Map<number, Waiting>();
  // Parsed files whose rows, and bodies whose pieces, wait in the thread for a read, a write or a drop.
  const held = new Set<number>();
  const receiving = new Map<number, Receiving>();
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
      if (message.t === "failed") entry?.reject(fromWire(message.error));
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
    // A port to the writer thread moves to the import thread with its request.
    started().postMessage(message, "rows" in message && message.rows !== undefined ? [message.rows] : []);
  };
  /** Where the rows of a version of `db` are written from the import thread: on SQLite, through the writer thread when there is one. */
  const rowsPort = (db: Knex): { rows?: MessagePort } => (options.tariffRowsPort !== undefined && dialectOf(db) === "sqlite" ? { rows: options.tariffRowsPort() } : {});
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

  /** The body's last block sent: from here on the thread reads it (or has lost it, if it died meanwhile). */
  const received = (upload: Upload): { upload: number } => {
    const body = receiving.get(upload.uploadId);
    receiving.delete(upload.uploadId);
    held.delete(upload.uploadId);
    if (body === undefined) throw new Error("this request's body was already read or let go");
    body.flush();
    if (body.thread !== worker) throw new Error("the import worker exited while the request's body arrived");
    return { upload: upload.uploadId };
  };

  const parseFile = async (file: TariffText): Promise<{ parsed: ParsedTariff; fields: TariffImportFields | undefined }> => {
    const id = nextId++;
    held.add(id);
    const verdict = await ask({ t: "tariff", id, file }, "tariff").catch((error: unknown) => {
      held.delete(id);
      retireWhenIdle();
      throw error;
    });
    const letGo = (): void => {
      held.delete(id);
      retireWhenIdle();
    };
    const parsed: ParsedTariff = {
      count: verdict.count,
      rejected: verdict.rejected,
      write: (db, versionId) => packed({ t: "write", id, db: databaseTarget(db), versionId, ...rowsPort(db) }).finally(letGo),
      drop: () => {
        send({ t: "drop", id });
        letGo();
      },
    };
    return { parsed, fields: verdict.fields };
  };

  return {
    parseTariff: async (csv) => (await parseFile({ csv })).parsed,
    receive() {
      const uploadId = nextId++;
      held.add(uploadId);
      if (idle !== null) clearTimeout(idle);
      idle = null;
      const thread = started();
      let block: Uint8Array<ArrayBuffer> | null = null;
      let filled = 0;
      const flush = (): void => {
        if (block === null || filled === 0) return;
        const bytes = filled === block.length ? block.buffer : block.buffer.slice(0, filled);
        block = null;
        filled = 0;
        // A thread that died meanwhile is not written to; the read then fails.
        if (thread === worker) thread.postMessage({ t: "chunk", id: uploadId, bytes } satisfies ToImportWorker, [bytes]);
      };
      receiving.set(uploadId, { thread, flush });
      return {
        uploadId,
        push(chunk) {
          for (let offset = 0; offset < chunk.length; ) {
            block ??= new Uint8Array(blockBytes);
            const n = Math.min(chunk.length - offset, blockBytes - filled);
            block.set(chunk.subarray(offset, offset + n), filled);
            filled += n;
            offset += n;
            if (filled === blockBytes) flush();
          }
        },
        discard() {
          if (!receiving.delete(uploadId)) return;
          held.delete(uploadId);
          block = null;
          if (thread === worker) thread.postMessage({ t: "drop", id: uploadId } satisfies ToImportWorker);
          retireWhenIdle();
        },
      };
    },
    async parseTariffUpload(upload) {
      const { parsed, fields } = await parseFile(received(upload));
      if (fields === undefined) throw new Error("the import worker read no request fields from the body");
      return { fields, parsed };
    },
    async previewTariff(db, file, current, listLimit) {
      const target = databaseTarget(db);
      const text = typeof file === "string" ? { csv: file } : received(file);
      return (await ask({ t: "preview", id: nextId++, db: target, file: text, current, listLimit }, "preview")).preview;
    },
    copyTariff: (db, from, to) => packed({ t: "copy", id: nextId++, db: databaseTarget(db), from, to, ...rowsPort(db) }),
    loadRater: (db, versionId) => packed({ t: "load", id: nextId++, db: databaseTarget(db), versionId }),
    async importContacts(db, body, companyId, now) {
      const target = databaseTarget(db);
      const { upload } = received(body);
      return (await ask({ t: "contacts", id: nextId++, db: target, upload, companyId, now }, "contacts")).reply;
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
