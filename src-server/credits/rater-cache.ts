import type { Knex } from "knex";
import { buildRater, type Rater } from "../../src-shared/credits/rater";
import type { TariffRow } from "../../src-shared/credits/tariff";
import { loadTariffRows } from "./tariff-repo";

/** A transaction shares its database's config object: one key for a database, its transactions and savepoints. */
export function databaseKey(db: Knex): object {
  return (db.client as { config: object }).config;
}

/** Versions never change once imported, so a rater per (database, version) is built once and kept. */
const raters = new WeakMap<object, Map<number, Promise<Rater<TariffRow>>>>();

function ratersOf(db: Knex): Map<number, Promise<Rater<TariffRow>>> {
  const key = databaseKey(db);
  let map = raters.get(key);
  if (map === undefined) raters.set(key, (map = new Map<number, Promise<Rater<TariffRow>>>()));
  return map;
}

/** `load`: how the rater is built when not held (by default read and built on this thread). */
export function raterFor(db: Knex, versionId: number, load?: ((versionId: number) => Promise<Rater<TariffRow>>) | null): Promise<Rater<TariffRow>> {
  const map = ratersOf(db);
  let rater = map.get(versionId);
  if (rater === undefined) {
    rater = load ? load(versionId) : loadTariffRows(db, versionId).then((rows) => buildRater(rows));
    map.set(versionId, rater);
    // A failed load is not kept: the next call tries again.
    rater.catch(() => map.delete(versionId));
  }
  return rater;
}

/** An imported version's rater, built from the rows already in hand (no read back). */
export function rememberRater(db: Knex, versionId: number, rater: Rater<TariffRow>): Rater<TariffRow> {
  ratersOf(db).set(versionId, Promise.resolve(rater));
  return rater;
}

/** Versions no call in progress is rated with any more are let go (read again if an old record needs one). */
export function forgetRatersExcept(db: Knex, keep: ReadonlySet<number>): void {
  const map = raters.get(databaseKey(db));
  if (map === undefined) return;
  for (const id of map.keys()) if (!keep.has(id)) map.delete(id);
}
