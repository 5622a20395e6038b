import type { Knex } from "knex";
import type { WriteContext } from "./write-context";

export type WriteOp = (trx: Knex.Transaction, input: never, ctx: WriteContext) => Promise<unknown>;

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

interface Pending {
  name: string;
  input: unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Enough to amortize one fsync over many charges, small enough that one commit stays short. */
const maxBatch = 512;

export interface BusyRetry {
  /** Commits tried in all before the batch fails. */
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

/**
 * SQLite's write lock held by another connection past busy_timeout (5 s):
 * a call record must not be lost to that, so the whole batch is tried again,
 * about a minute in all, before it fails.
 */
export const defaultBusyRetry: BusyRetry = { attempts: 12, firstDelayMs: 50, maxDelayMs: 2_000 };

/** SQLITE_BUSY from better-sqlite3 (knex keeps the driver's code on the error it throws). */
export function isBusy(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === "SQLITE_BUSY" || (typeof code !== "string" && error instanceof Error && /database is locked/.test(error.message));
}

/**
 * Group commit: every write queued while the previous commit was under way
 * (or in the same tick) shares the next transaction, so one fsync makes many
 * writes durable. Each write runs in its own savepoint: one that throws is
 * rolled back alone and rejects alone. A write resolves only after the commit
 * that carries it.
 */
export class GroupCommitter {
  readonly #db: Knex;
  readonly #ops: Readonly<Record<string, WriteOp>>;
  readonly #ctx: WriteContext;
  readonly #retry: BusyRetry;
  #queue: Pending[] = [];
  #flushing: Promise<void> | null = null;

  constructor(db: Knex, ops: Readonly<Record<string, WriteOp>>, ctx: WriteContext, retry: BusyRetry = defaultBusyRetry) {
    this.#db = db;
    this.#ops = ops;
    this.#ctx = ctx;
    this.#retry = retry;
  }

  run(name: string, input: unknown): Promise<unknown> {
    if (!Object.hasOwn(this.#ops, name)) return Promise.reject(new Error(`no write operation named ${name}`));
    return new Promise((resolve, reject) => {
      this.#queue.push({ name, input, resolve, reject });
      this.#flushing ??= this.#flushAll();
    });
  }

  /** Resolves when everything queued so far is committed (or failed). */
  async idle(): Promise<void> {
    while (this.#flushing !== null) await this.#flushing;
  }

  async #flushAll(): Promise<void> {
    // Writes arriving in the same tick join the first commit.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.#queue.length > 0) await this.#commit(this.#queue.splice(0, maxBatch));
    this.#flushing = null;
  }

  async #commit(batch: Pending[]): Promise<void> {
    let settled: Settled[] = [];
    for (let attempt = 1; ; attempt += 1) {
      try {
        settled = await this.#attempt(batch);
        break;
      } catch (error) {
        if (isBusy(error) && attempt < this.#retry.attempts) {
          const delayMs = Math.min(this.#retry.maxDelayMs, this.#retry.firstDelayMs * 2 ** (attempt - 1));
          this.#ctx.log.warn({ attempt, writes: batch.length, delayMs }, "the database is locked by another connection: trying the commit again");
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          continue;
        }
        if (isBusy(error)) this.#ctx.log.error({ attempts: attempt, writes: batch.length }, "the database stayed locked: the writes in this commit failed");
        // The commit itself failed (or the only write threw): nothing in the batch happened.
        for (const item of batch) item.reject(error);
        return;
      }
    }
    batch.forEach((item, i) => {
      const outcome = settled[i];
      if (outcome?.ok) item.resolve(outcome.value);
      else item.reject(outcome?.error);
    });
  }

  /** One try at committing the batch; throws when the transaction as a whole failed. */
  async #attempt(batch: Pending[]): Promise<Settled[]> {
    const settled: Settled[] = [];
    await this.#db.transaction(async (trx) => {
      for (const item of batch) {
        const op = this.#ops[item.name] as WriteOp;
        if (batch.length === 1) {
          settled.push({ ok: true, value: await op(trx, item.input as never, this.#ctx) });
          continue;
        }
        // A savepoint per write when several share the transaction: plain statements, since
        // knex's nested transactions cost more than the writes themselves.
        await trx.raw("SAVEPOINT group_write");
        try {
          const value = await op(trx, item.input as never, this.#ctx);
          await trx.raw("RELEASE SAVEPOINT group_write");
          settled.push({ ok: true, value });
        } catch (error) {
          // A lock is the batch's problem, not this write's: the whole commit is tried again.
          if (isBusy(error)) throw error;
          await trx.raw("ROLLBACK TO SAVEPOINT group_write");
          await trx.raw("RELEASE SAVEPOINT group_write");
          settled.push({ ok: false, error });
        }
      }
    });
    return settled;
  }
}
