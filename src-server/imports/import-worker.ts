import type { Knex } from "knex";
import type { z } from "zod";
import { parentPort, type MessagePort } from "node:worker_threads";
import { packTariff, packedBuffers, type PackedTariff } from "../../src-shared/credits/rater";
import type { TariffRow } from "../../src-shared/credits/tariff";
import { parseTariffCsv } from "../../src-shared/credits/tariff-csv";
import { ImportContactsBody } from "../../src-shared/server-api/crm";
import { OperatorTariffImportBody, TariffPreviewBody } from "../../src-shared/server-api/operator";
import { importContactsFile } from "../crm/contact-import";
import { loadTariffRows, writeTariffRows } from "../credits/tariff-repo";
import { openDatabase, type DatabaseTarget } from "../db/open-database";
import { sendTariffRows } from "../db/writer/background-rows";
import { backgroundThreadNice, lowerThisThreadPriority } from "./thread-priority";
import type { FromImportWorker, TariffImportFields, TariffText, ToImportWorker } from "./import-protocol";
import { previewTariffFile, readJsonBody, toWireError } from "./import-work";

/**
 * The import thread: tariff and contact files are parsed, checked and
 * compared here, a contacts file's people are written (and tariff rows read)
 * here through this thread's own connection, a tariff's rows too unless they
 * go to the writer thread (SQLite with a writer: one write lock), and a
 * tariff's rater is packed here, so a 400,000-row tariff or a 2 MB contacts
 * file never holds the server's event loop (the PBX's authorize requests
 * keep their answer times). Entry point of dist/server/import-worker.mjs.
 */
function main(): void {
  const port = parentPort;
  if (port === null) throw new Error("import-worker runs only as a worker thread");
  // Nothing here is waited on by a call: on a small machine the server's thread gets the core first.
  lowerThisThreadPriority(backgroundThreadNice);
  const post = (message: FromImportWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
  const sendPacked = (id: number, packed: PackedTariff): void => post({ t: "packed", id, packed }, packedBuffers(packed));
  // Parsed files waiting to be written, by request id.
  const parsed = new Map<number, TariffRow[]>();
  // Request bodies as they arrive, by upload id: read (and let go) by the request that names them.
  const uploads = new Map<number, Uint8Array[]>();
  /** The file's text, and the request's other fields when it came as a body; the body's bytes are let go first. */
  const textOf = <T extends { csv: string }>(file: TariffText, schema: z.ZodType<T>): { csv: string; fields?: Omit<T, "csv"> } => {
    if ("csv" in file) return { csv: file.csv };
    const chunks = uploads.get(file.upload) ?? [];
    uploads.delete(file.upload);
    const { csv, ...fields } = readJsonBody(chunks, schema);
    return { csv, fields };
  };
  // One connection per database, opened on first use and kept while the thread lives.
  const connections = new Map<string, Promise<Knex>>();
  const database = (target: DatabaseTarget): Promise<Knex> => {
    const key = JSON.stringify(target);
    let db = connections.get(key);
    if (db === undefined) {
      db = openDatabase(target).then(async (opened) => {
        // Pending rows need no fsync of their own: the publish commit (synchronous FULL, on the server's connection) syncs the WAL they are in, and a crash before it leaves a pending version that is deleted at start.
        if (target.kind === "sqlite") await opened.raw("pragma synchronous = NORMAL");
        return opened;
      });
      connections.set(key, db);
      db.catch(() => connections.delete(key));
    }
    return db;
  };

  /** A pending version's rows: through the writer thread when a port to it came along, else through this thread's connection. */
  const writeRows = async (message: { db: DatabaseTarget; rows?: MessagePort }, versionId: number, rows: readonly TariffRow[]): Promise<void> => {
    if (message.rows !== undefined) await sendTariffRows(message.rows, versionId, rows);
    else await writeTariffRows(await database(message.db), versionId, rows);
  };

  const handle = async (message: ToImportWorker): Promise<void> => {
    switch (message.t) {
      case "chunk": {
        const chunks = uploads.get(message.id) ?? [];
        chunks.push(new Uint8Array(message.bytes));
        uploads.set(message.id, chunks);
        return;
      }
      case "tariff": {
        const { csv, fields } = textOf(message.file, OperatorTariffImportBody);
        const { rows, rejected } = parseTariffCsv(csv);
        parsed.set(message.id, rows);
        post({ t: "tariff", id: message.id, count: rows.length, rejected, ...(fields === undefined ? {} : { fields: fields satisfies TariffImportFields }) });
        return;
      }
      case "write": {
        const rows = parsed.get(message.id) ?? [];
        parsed.delete(message.id);
        // Packed first: a file whose trie cannot be built writes nothing.
        const packed = packTariff(rows);
        await writeRows(message, message.versionId, rows);
        sendPacked(message.id, packed);
        return;
      }
      case "copy": {
        const db = await database(message.db);
        const rows = await loadTariffRows(db, message.from);
        const packed = packTariff(rows);
        await writeRows(message, message.to, rows);
        sendPacked(message.id, packed);
        return;
      }
      case "load":
        sendPacked(message.id, packTariff(await loadTariffRows(await database(message.db), message.versionId)));
        return;
      case "preview": {
        // The body is read (and refused if bad) before anything is loaded.
        const { csv } = textOf(message.file, TariffPreviewBody);
        const current = message.current === null ? [] : await loadTariffRows(await database(message.db), message.current);
        post({ t: "preview", id: message.id, preview: previewTariffFile(csv, current, message.listLimit) });
        return;
      }
      case "contacts": {
        // The body is read (and refused if bad) before the database is opened.
        const { csv, fields } = textOf({ upload: message.upload }, ImportContactsBody);
        const db = await database(message.db);
        // Unlike pending tariff rows, these commit for good here: as durable as the server's own commits.
        const sqlite = message.db.kind === "sqlite";
        if (sqlite) await db.raw("pragma synchronous = FULL");
        try {
          post({ t: "contacts", id: message.id, reply: await importContactsFile(db, message.companyId, csv, fields?.acceptValidRows ?? false, message.now) });
        } finally {
          if (sqlite) await db.raw("pragma synchronous = NORMAL");
        }
        return;
      }
      case "drop":
        parsed.delete(message.id);
        uploads.delete(message.id);
        return;
      case "close": {
        const open = [...connections.values()];
        connections.clear();
        await Promise.allSettled(open.map(async (db) => (await db).destroy()));
        port.close();
        return;
      }
    }
  };

  port.on("message", (message: ToImportWorker) => {
    handle(message).catch((error: unknown) => {
      // A port to the writer that was never used (the file failed first) is let go.
      if ("rows" in message) message.rows?.close();
      parsed.delete(message.id);
      post({ t: "failed", id: message.id, error: toWireError(error) });
    });
  });
}

main();
