// The ledger bench's own writes: a call's charge posted directly (no CDR), one at a time or a tick's
// worth per write. The server charges only from CDRs (ingestCdrs); these exist to measure the ledger.
import type { Knex } from "knex";
import { postCallCharge, type CallCharge } from "../src-server/credits/call-charge";
import { noEffects, type CreditEffects } from "../src-server/credits/credit-effects";
import { RaterCache } from "../src-server/credits/rater-cache";
import { GroupCommitter } from "../src-server/db/writer/group-commit";

/** One call's charge on its own. */
async function postCallChargeOp(trx: Knex.Transaction, input: { charge: CallCharge; now: number }): Promise<{ credits: CreditEffects }> {
  const credits = noEffects();
  await postCallCharge(trx, input.charge, input.now, credits);
  return { credits };
}

/**
 * Many calls' charges in one write (what arrived together): each in its own
 * savepoint, so one that fails is undone alone and reported by its index.
 */
async function postCallChargesOp(trx: Knex.Transaction, input: { charges: CallCharge[]; now: number }): Promise<{ credits: CreditEffects; failed: { index: number; message: string }[] }> {
  const credits = noEffects();
  const failed: { index: number; message: string }[] = [];
  for (const [index, charge] of input.charges.entries()) {
    const effects = noEffects();
    const error = await trx.transaction((sp) => postCallCharge(sp, charge, input.now, effects)).then(() => null, (e: unknown) => e);
    if (error !== null) {
      failed.push({ index, message: error instanceof Error ? error.message : "the charge failed" });
      continue;
    }
    credits.balances.push(...effects.balances);
    credits.endedCalls.push(...effects.endedCalls);
    credits.warnings.push(...effects.warnings);
  }
  return { credits, failed };
}

interface Pending {
  charge: CallCharge;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** One write carries at most this many charges; the writer still commits several writes together. */
const maxCharges = 4_096;

/**
 * Charges that arrive in the same tick travel as one write (each still in its
 * own savepoint): the durable writer's per-write cost is paid per batch, not
 * per charge. Each charge resolves once committed, or rejects alone.
 */
export class ChargeQueue {
  readonly #writer: GroupCommitter;
  readonly #now: () => number;
  #pending: Pending[] = [];

  constructor(writer: GroupCommitter, now: () => number) {
    this.#writer = writer;
    this.#now = now;
  }

  charge(charge: CallCharge): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ charge, resolve, reject });
      if (this.#pending.length === 1) setImmediate(() => this.#flush());
    });
  }

  #flush(): void {
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, maxCharges);
      (this.#writer.run("postCallCharges", { charges: batch.map((p) => p.charge), now: this.#now() }) as ReturnType<typeof postCallChargesOp>).then(
        ({ failed }) => {
          const errors = new Map(failed.map((f) => [f.index, f.message]));
          batch.forEach((p, i) => {
            const message = errors.get(i);
            if (message === undefined) p.resolve();
            else p.reject(new Error(message));
          });
        },
        (error: unknown) => {
          for (const p of batch) p.reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    }
  }
}

/** Group commit over the bench's charge writes, as the server's writer commits its own. */
export function chargeWriter(db: Knex, log: { warn(details: object, message: string): void; error(details: object, message: string): void }): GroupCommitter {
  return new GroupCommitter(db, { postCallCharge: postCallChargeOp, postCallCharges: postCallChargesOp }, { log, raters: new RaterCache() });
}
