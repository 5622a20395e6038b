import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import type { Knex } from "knex";
import { getCdrCursor, setCdrCursor } from "../db/calls-repo";
import { ingestCdrs, type IngestContext } from "./cdr-ingest";
import { cdrFromStoreRow, type CdrRecord, type CdrStoreRow } from "./cdr-record";
import type { SaveOutcome } from "./save-call";

const pageSize = 500;
const columns = "AcctId, uniqueid, accountcode, dst, dcontext, dstchannel, disposition, billsec, userfield, start, answer, end";

export interface ReconcileResult {
  rowsRead: number;
  outcomes: Record<SaveOutcome, number>;
}

/**
 * Reads back from Asterisk's own CDR store (cdr_sqlite3_custom's cdr.db,
 * read-only) the rows after the last one reconciled, and folds them in like
 * AMI's Cdr events: what AMI missed while the server was down or disconnected
 * is recorded once, and what it did not miss changes nothing. A store whose
 * rows went backwards (recreated) is read from the start.
 */
export async function reconcileCdrStore(
  db: Knex,
  file: string,
  now: () => number,
  ctx: IngestContext,
  /** Each page of records once it is committed (other readers of CDRs: the verification service). */
  onRead: (cdrs: readonly CdrRecord[]) => void = () => undefined,
): Promise<ReconcileResult> {
  const result: ReconcileResult = { rowsRead: 0, outcomes: { created: 0, updated: 0, unchanged: 0, ignored: 0 } };
  if (!existsSync(file)) return result;
  const store = new Database(file, { readonly: true, fileMustExist: true, timeout: 2_000 });
  try {
    const hasTable = store.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cdr'").get() !== undefined;
    if (!hasTable) return result;
    const maxRow = (store.prepare("SELECT max(AcctId) AS n FROM cdr").get() as { n: number | null }).n ?? 0;
    let cursor = await getCdrCursor(db, file);
    if (maxRow < cursor) {
      cursor = 0;
      await setCdrCursor(db, file, 0, now());
    }
    const page = store.prepare(`SELECT ${columns} FROM cdr WHERE AcctId > ? ORDER BY AcctId LIMIT ${pageSize}`);
    for (let round = 0; round < 10_000; round += 1) {
      const rows = page.all(cursor) as CdrStoreRow[];
      if (rows.length === 0) break;
      const cdrs = rows.map(cdrFromStoreRow).filter((cdr): cdr is CdrRecord => cdr !== null);
      const last = rows.at(-1)!.AcctId;
      await db.transaction(async (trx) => {
        for (const outcome of await ingestCdrs(trx, cdrs, now(), ctx)) result.outcomes[outcome] += 1;
        await setCdrCursor(trx, file, last, now());
      });
      result.rowsRead += rows.length;
      cursor = last;
      onRead(cdrs);
    }
    return result;
  } finally {
    store.close();
  }
}
