import type { DurableWriter } from "../db/writer/durable-writer";
import type { CallCharge } from "./call-charge";

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
  readonly #writer: DurableWriter;
  readonly #now: () => number;
  #pending: Pending[] = [];

  constructor(writer: DurableWriter, now: () => number) {
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
      this.#writer.run("postCallCharges", { charges: batch.map((p) => p.charge), now: this.#now() }).then(
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
