import type { Knex } from "knex";
import { buildRater, type Rater } from "../../src-shared/credits/rater";
import type { TariffRow } from "../../src-shared/credits/tariff";
import { loadTariffRows } from "./tariff-repo";

/** Builds a stored version's rater from the database it is read from (a transaction included). */
export type RaterLoad = (db: Knex, versionId: number) => Promise<Rater<TariffRow>>;

/** Read and built on this thread. */
export const readRater: RaterLoad = async (db, versionId) => buildRater(await loadTariffRows(db, versionId));

/**
 * Versions never change once imported, so a rater per version is built once
 * and kept until let go. One cache per process side that rates calls: the
 * server's credits (shared with a writer on its thread), and a writer thread.
 */
export class RaterCache {
  readonly #raters = new Map<number, Promise<Rater<TariffRow>>>();
  readonly #load: RaterLoad;

  constructor(load: RaterLoad = readRater) {
    this.#load = load;
  }

  get(db: Knex, versionId: number): Promise<Rater<TariffRow>> {
    let rater = this.#raters.get(versionId);
    if (rater === undefined) {
      rater = this.#load(db, versionId);
      this.#raters.set(versionId, rater);
      // A failed load is not kept: the next call tries again.
      rater.catch(() => this.#raters.delete(versionId));
    }
    return rater;
  }

  /** An imported version's rater, built from the rows already in hand (no read back). */
  remember(versionId: number, rater: Rater<TariffRow>): Rater<TariffRow> {
    this.#raters.set(versionId, Promise.resolve(rater));
    return rater;
  }

  /** Versions no call in progress is rated with any more are let go (read again if an old record needs one). */
  forgetExcept(keep: ReadonlySet<number>): void {
    for (const id of this.#raters.keys()) if (!keep.has(id)) this.#raters.delete(id);
  }
}
