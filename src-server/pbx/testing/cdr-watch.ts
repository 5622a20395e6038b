import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import type { AmiEventLog } from "./event-log";

function storeRows(file: string): number {
  if (!existsSync(file)) return 0;
  const store = new Database(file, { readonly: true, fileMustExist: true, timeout: 2_000 });
  try {
    const hasTable = store.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cdr'").get() !== undefined;
    return hasTable ? (store.prepare("SELECT count(*) AS n FROM cdr").get() as { n: number }).n : 0;
  } finally {
    store.close();
  }
}

/**
 * Knows when every CDR Asterisk wrote to its store has also reached AMI's
 * listeners. A test that compares records before and after reading the store
 * back must wait for that first: a CDR still on its way over AMI would change
 * a record between the two reads and look like the read-back's doing.
 */
export class CdrWatch {
  readonly #baseline: number;

  constructor(
    private readonly log: AmiEventLog,
    private readonly file: string,
  ) {
    this.#baseline = storeRows(file) - log.matching("Cdr").length;
  }

  /** Resolves once the store and AMI agree for a quiet 300 ms and the server has folded in what it received. */
  async settled(serverIdle: () => Promise<void>, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let agreedSince: number | null = null;
    for (;;) {
      const stored = storeRows(this.file) - this.#baseline;
      const heard = this.log.matching("Cdr").length;
      agreedSince = stored === heard ? (agreedSince ?? Date.now()) : null;
      if (agreedSince !== null && Date.now() - agreedSince >= 300) break;
      if (Date.now() > deadline) throw new Error(`CDRs did not settle within ${timeoutMs} ms: ${stored} in the store, ${heard} over AMI`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await serverIdle();
  }
}

/** The fields whose values differ between two versions of a record, as { field: [before, after] }: {} when none. */
export function changedFields<T extends object>(before: T | undefined, after: T | undefined): Record<string, [unknown, unknown]> {
  if (before === undefined || after === undefined) return before === after ? {} : { record: [before, after] };
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changed: Record<string, [unknown, unknown]> = {};
  for (const key of keys) {
    const was = (before as Record<string, unknown>)[key];
    const is = (after as Record<string, unknown>)[key];
    if (JSON.stringify(was) !== JSON.stringify(is)) changed[key] = [was, is];
  }
  return changed;
}
