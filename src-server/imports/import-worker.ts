import { parentPort } from "node:worker_threads";
import type { TariffRow } from "../../src-shared/credits/tariff";
import { parseContactCsv } from "../../src-shared/crm/contact-csv";
import { rowSlice, type FromImportWorker, type ToImportWorker } from "./import-protocol";
import { indexBuffers, parseTariffFile, previewTariffFile } from "./import-work";

/**
 * The import thread: tariff and contact files are parsed, checked and
 * compared here, so a 400,000-row tariff never holds the server's event loop
 * (the PBX's authorize requests keep their answer times). Entry point of
 * dist/server/import-worker.mjs.
 */
function main(): void {
  const port = parentPort;
  if (port === null) throw new Error("import-worker runs only as a worker thread");
  const post = (message: FromImportWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
  // Parsed rows waiting to be taken, and the tariff in force arriving for a preview, by request id.
  const parsed = new Map<number, TariffRow[]>();
  const current = new Map<number, TariffRow[]>();

  const handle = (message: ToImportWorker): void => {
    switch (message.t) {
      case "tariff": {
        const { rows, rejected, index } = parseTariffFile(message.csv);
        parsed.set(message.id, rows);
        post({ t: "tariff", id: message.id, count: rows.length, rejected, index }, indexBuffers(index));
        return;
      }
      case "rows": {
        const rows = parsed.get(message.id) ?? [];
        const end = message.from + rowSlice;
        if (end >= rows.length) parsed.delete(message.id);
        post({ t: "rows", id: message.id, rows: rows.slice(message.from, end) });
        return;
      }
      case "current": {
        const held = current.get(message.id);
        if (held === undefined) current.set(message.id, message.rows);
        else for (const row of message.rows) held.push(row);
        return;
      }
      case "preview": {
        const rows = current.get(message.id) ?? [];
        current.delete(message.id);
        post({ t: "preview", id: message.id, preview: previewTariffFile(message.csv, rows, message.listLimit) });
        return;
      }
      case "contacts":
        post({ t: "contacts", id: message.id, report: parseContactCsv(message.csv, message.country) });
        return;
      case "drop":
        parsed.delete(message.id);
        current.delete(message.id);
        return;
    }
  };

  port.on("message", (message: ToImportWorker) => {
    try {
      handle(message);
    } catch (error) {
      parsed.delete(message.id);
      current.delete(message.id);
      post({ t: "failed", id: message.id, message: error instanceof Error ? error.message : String(error) });
    }
  });
}

main();
