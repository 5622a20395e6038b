import type { Knex } from "knex";
import { dialectOf } from "../open-database";
import type { WriteContext } from "./write-context";

export type WriteOp = (trx: Knex.Transaction, input: never, ctx: WriteContext) => Promise<unknown>;

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

interface Pending {
  name: string;
  input: unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Work no caller waits on to commit (a tariff's pending rows): one step is one short transaction of its own. */
export type BackgroundStep = (trx: Knex.Transaction) => Promise<void>;

interface Background {
  step: BackgroundStep;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Idle time after each background step, as a share of the step's own time:
 * a tariff's 400,000 rows take a core only half the time, so on a 2-core
 * server the thread that answers authorize never waits for one. A write
 * queued meanwhile ends the rest at once.
 */
export const backgroundRestShare = 1;

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
  #background: Background[] = [];
  #flushing: Promise<void> | null = null;
  /** Ends the rest between background steps: set while one is under way. */
  #wake: (() => void) | null = null;

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
      this.#wake?.();
      this.#flushing ??= this.#flushAll();
    });
  }

  /**
   * Runs `step` when no write is queued, alone in its own transaction: a write
   * queued meanwhile waits for this one step at most, never for the lock. On
   * SQLite the step commits without fsync (synchronous NORMAL): only pending
   * rows go this way, and the FULL commit that publishes them syncs the WAL
   * that holds them.
   */
  background(step: BackgroundStep): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#background.push({ step, resolve, reject });
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
    for (;;) {
      if (this.#queue.length > 0) {
        await this.#commit(this.#queue.splice(0, maxBatch));
        continue;
      }
      const next = this.#background.shift();
      if (next === undefined) break;
      const started = performance.now();
      await this.#runBackground(next);
      // Writes that arrived during the step are read (and go first) before another step starts.
      await this.#rest((performance.now() - started) * backgroundRestShare);
    }
    this.#flushing = null;
  }

  /** Waits `ms`, or less once a write is queued; at least until the event loop's next turn. */
  #rest(ms: number): Promise<void> {
    if (this.#queue.length > 0 || this.#background.length === 0 || ms <= 0) return new Promise((resolve) => setImmediate(resolve));
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }

  async #runBackground({ step, resolve, reject }: Background): Promise<void> {
    const sqlite = dialectOf(this.#db) === "sqlite";
    try {
      await this.#whileLocked("the background step", {}, async () => {
        // This committer alone uses its connection, so no other write commits while the pragma is relaxed.
        if (sqlite) await this.#db.raw("pragma synchronous = NORMAL");
        try {
          await this.#db.transaction(step);
        } finally {
          if (sqlite) await this.#db.raw("pragma synchronous = FULL");
        }
      });
      resolve();
    } catch (error) {
      reject(error);
    }
  }

  /**
   * Runs `attempt` again while another connection holds the write lock, with
   * the retry's backoff; throws the last error: a lock only after the last of
   * `retry.attempts` tries, anything else at once.
   */
  async #whileLocked<T>(what: string, details: object, attempt: () => Promise<T>): Promise<T> {
    for (let tries = 1; ; tries += 1) {
      try {
        return await attempt();
      } catch (error) {
        if (!isBusy(error) || tries >= this.#retry.attempts) throw error;
        const delayMs = Math.min(this.#retry.maxDelayMs, this.#retry.firstDelayMs * 2 ** (tries - 1));
        this.#ctx.log.warn({ attempt: tries, ...details, delayMs }, `the database is locked by another connection: trying ${what} again`);
        await new Promise((done) => setTimeout(done, delayMs));
      }
    }
  }

  async #commit(batch: Pending[]): Promise<void> {
    let settled: Settled[];
    try {
      settled = await this.#whileLocked("the commit", { writes: batch.length }, () => this.#attempt(batch));
    } catch (error) {
      if (isBusy(error)) this.#ctx.log.error({ attempts: this.#retry.attempts, writes: batch.length }, "the database stayed locked: the writes in this commit failed");
      // The commit itself failed (or the only write threw): nothing in the batch happened.
      for (const item of batch) item.reject(error);
      return;
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
