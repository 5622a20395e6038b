import type { Knex } from "knex";
import type { WriteContext } from "./write-context";

export type WriteOp = (trx: Knex.Transaction, input: never, ctx: WriteContext) => Promise<unknown>;

interface Pending {
  name: string;
  input: unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Enough to amortize one fsync over many charges, small enough that one commit stays short. */
const maxBatch = 512;

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
  #queue: Pending[] = [];
  #flushing: Promise<void> | null = null;

  constructor(db: Knex, ops: Readonly<Record<string, WriteOp>>, ctx: WriteContext) {
    this.#db = db;
    this.#ops = ops;
    this.#ctx = ctx;
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
    const settled: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
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
            await trx.raw("ROLLBACK TO SAVEPOINT group_write");
            await trx.raw("RELEASE SAVEPOINT group_write");
            settled.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
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
}
