import type { Knex } from "knex";
import { drop } from "../../src-shared/assert-never";
import { trialCallCapSeconds, type CallBalance } from "../../src-shared/credits/authorize-call";
import type { Rater } from "../../src-shared/credits/rater";
import type { TariffRow } from "../../src-shared/credits/tariff";
import type { Mailer } from "../mail/mailer";
import { releaseHold } from "./call-holds";
import { noEffects, type CreditEffects } from "./credit-effects";
import { sendLowBalanceEmails } from "./low-balance";
import { RaterCache } from "./rater-cache";
import { holdClaimsFor, type HoldClaims } from "./hold-claims";
import { readCallBalance, staleReservations } from "./reservation-repo";
import { ensureDefaultTariff, listTariffVersions, versionAt, type TariffVersionRecord } from "./tariff-repo";

/** After a call's limit, how long its hold outlives it waiting for the CDR before it is released. */
export const reservationMarginMs = 120_000;

/** A call this process authorized: the tariff version it is rated with stays in memory until its charge. */
interface Pin {
  version: number;
  until: number;
}

export interface CreditsRuntimeOptions {
  db: Knex;
  /** Where a stored version's rater is built (the composition root: the import thread); default: read and built here. */
  raters?: RaterCache;
  /** The trial's per-call cap; tests and demos shorten it. */
  trialCapSeconds?: number;
  /** Low-balance warnings are emailed to admins when there is one. */
  mailer?: Mailer | null;
}

export interface RatedRow {
  version: number;
  row: TariffRow;
}

/**
 * What one server process keeps of credit: the tariff (a rater per version,
 * immutable once imported) and the trial cap. Money is not here: balances and
 * the holds of calls in progress are rows every process reads and claims
 * (reservation-repo.ts), so two processes never spend the same credit.
 */
export class CreditsRuntime {
  readonly #db: Knex;
  readonly #pins = new Map<string, Pin>();
  readonly #raters = new Map<number, Rater<TariffRow>>();
  #versions: TariffVersionRecord[] = [];
  #loading: Promise<void> | null = null;
  readonly trialCapSeconds: number;
  readonly #mailer: Mailer | null;
  /** Built once per version; a writer on this thread rates its charges with the same cache. */
  readonly raters: RaterCache;
  /** How authorize claims a call's hold: committed first on PostgreSQL, with the call's record on SQLite. */
  readonly holds: HoldClaims;

  constructor(options: CreditsRuntimeOptions) {
    this.#db = options.db;
    this.raters = options.raters ?? new RaterCache();
    this.trialCapSeconds = options.trialCapSeconds ?? trialCallCapSeconds;
    this.#mailer = options.mailer ?? null;
    this.holds = holdClaimsFor(this.#db, (companyId, uniqueid, now) => this.releaseHold(companyId, uniqueid, now));
  }

  /** A call's hold released through the one release path (a repeat's earlier one), and its rater let go. */
  async releaseHold(companyId: number, pbxUniqueid: string, now: number): Promise<void> {
    const effects = noEffects();
    await this.#db.transaction((trx) => releaseHold(trx, companyId, pbxUniqueid, 0, now, effects));
    this.apply(effects);
    this.unpinRater(pbxUniqueid);
  }

  /** Loads the tariff once (the default one first, at first start); later calls wait for the same load. */
  ready(now: number): Promise<void> {
    this.#loading ??= this.#load(now).catch((error: unknown) => {
      this.#loading = null;
      throw error;
    });
    return this.#loading;
  }

  async #load(now: number): Promise<void> {
    await ensureDefaultTariff(this.#db, now);
    await this.reloadVersions(now);
  }

  /**
   * Reads the version list again (another process imported or restored one):
   * the rater of the version now in force is built before the list is swapped,
   * so authorize never finds a version without its rater.
   */
  async reloadVersions(now: number): Promise<void> {
    const versions = await listTariffVersions(this.#db);
    const current = versionAt(versions, now);
    if (current !== null && !this.#raters.has(current.id)) this.#raters.set(current.id, await this.raters.get(this.#db, current.id));
    this.#versions = versions;
    this.#forgetUnused(now);
  }

  /**
   * A whole version's rater is large (a 400,000-row tariff is ~100 MB of
   * rows): only the version in force and those of calls this process
   * authorized and still in progress are kept. An older one is read again if
   * an old call's record needs it.
   */
  #forgetUnused(now: number): void {
    const keep = new Set<number>();
    const current = versionAt(this.#versions, now);
    if (current !== null) keep.add(current.id);
    for (const pin of this.#pins.values()) keep.add(pin.version);
    for (const id of this.#raters.keys()) if (!keep.has(id)) this.#raters.delete(id);
    this.raters.forgetExcept(keep);
  }

  /** A call rated with an older version ended: its rater goes unless another call in progress still uses it. */
  #forgetIfUnused(version: number): void {
    if (!this.#raters.has(version) || versionAt(this.#versions, Number.MAX_SAFE_INTEGER)?.id === version) return;
    for (const pin of this.#pins.values()) if (pin.version === version) return;
    this.#raters.delete(version);
    this.raters.forgetExcept(new Set(this.#raters.keys()));
  }

  /** Tariff versions whose raters are held in memory, for tests and the bench. */
  heldVersions(): number[] {
    return [...this.#raters.keys()].sort((a, b) => a - b);
  }

  /** The rows of the version in force, from its rater (no database read). */
  async currentRows(now: number): Promise<{ id: number | null; rows: readonly TariffRow[] }> {
    const version = versionAt(this.#versions, now);
    if (version === null) return { id: null, rows: [] };
    let rater = this.#raters.get(version.id);
    if (rater === undefined) this.#raters.set(version.id, (rater = await this.raters.get(this.#db, version.id)));
    return { id: version.id, rows: rater.rows };
  }

  /** The rater of the version in force at `atMs` (read from the database if not yet held). */
  async rateAt(e164: string, atMs: number): Promise<RatedRow | null> {
    const version = versionAt(this.#versions, atMs);
    if (version === null) return null;
    let rater = this.#raters.get(version.id);
    if (rater === undefined) this.#raters.set(version.id, (rater = await this.raters.get(this.#db, version.id)));
    const row = rater.rate(e164, atMs);
    return row === null ? null : { version: version.id, row };
  }

  /** Synchronous rating for the authorize path: the version in force, whose rater `ready` built. */
  rateNow(e164: string, now: number): RatedRow | null {
    const version = versionAt(this.#versions, now);
    const row = version === null ? null : (this.#raters.get(version.id)?.rate(e164, now) ?? null);
    return version === null || row === null ? null : { version: version.id, row };
  }

  /** The operator's versions, oldest first (one tariff for every company). */
  versions(): readonly TariffVersionRecord[] {
    return this.#versions;
  }

  currentVersion(now: number): TariffVersionRecord | null {
    return versionAt(this.#versions, now);
  }

  /** A version just committed, with its rater (built where its rows were written) ready before any call can be rated with it. */
  addVersion(version: TariffVersionRecord, rater: Rater<TariffRow>, now: number): void {
    this.#raters.set(version.id, this.raters.remember(version.id, rater));
    this.#versions = [...this.#versions.filter((v) => v.id !== version.id), version].sort((a, b) => a.id - b.id);
    this.#forgetUnused(now);
  }

  /** Before a call is decided: the tariff loaded, and the rater of the version in force built. */
  async prepare(now: number): Promise<void> {
    await this.ready(now);
    const version = versionAt(this.#versions, now);
    if (version !== null && !this.#raters.has(version.id)) this.#raters.set(version.id, await this.raters.get(this.#db, version.id));
  }

  /** The company's buckets and holds: as committed, plus holds this process claimed whose rows are on their way. */
  async balance(companyId: number): Promise<CallBalance> {
    const committed = await readCallBalance(this.#db, companyId);
    return { ...committed, reservedMicros: committed.reservedMicros + this.holds.pendingMicros(companyId) };
  }

  async reservedMicros(companyId: number): Promise<number> {
    return (await this.balance(companyId)).reservedMicros;
  }

  /** A call this process authorized keeps its version's rater in memory until its charge or its limit. */
  pinRater(uniqueid: string, version: number, until: number): void {
    this.#pins.set(uniqueid, { version, until });
  }

  unpinRater(uniqueid: string): void {
    const pin = this.#pins.get(uniqueid);
    if (pin === undefined) return;
    this.#pins.delete(uniqueid);
    this.#forgetIfUnused(pin.version);
  }

  /**
   * Holds past their call's limit and margin whose charge never came (a CDR
   * lost with its Asterisk): released through the same path as a charge's,
   * each in its own transaction. Any process may do it; a hold goes once.
   */
  async sweep(now: number): Promise<void> {
    for (const hold of await staleReservations(this.#db, now)) {
      const effects = noEffects();
      await this.#db.transaction((trx) => releaseHold(trx, hold.companyId, hold.pbxUniqueid, 0, now, effects));
      this.apply(effects);
    }
    this.holds.sweep(now);
    for (const [uniqueid, pin] of this.#pins) if (pin.until <= now) this.unpinRater(uniqueid);
  }

  /** After the commit of a write that changed credit: low-balance mail, and the raters of calls that ended. */
  apply(effects: CreditEffects): void {
    for (const uniqueid of effects.endedCalls) this.unpinRater(uniqueid);
    const mailer = this.#mailer;
    if (mailer !== null) {
      for (const warning of effects.warnings) drop(sendLowBalanceEmails(this.#db, mailer, warning));
    }
  }
}
