import type { Knex } from "knex";
import { drop } from "../../src-shared/assert-never";
import { authorizeCall, trialCallCapSeconds, type CallBalance } from "../../src-shared/credits/authorize-call";
import { callCostMicros } from "../../src-shared/credits/cost";
import type { Rater } from "../../src-shared/credits/rater";
import type { TariffRow } from "../../src-shared/credits/tariff";
import type { Plan } from "../../src-shared/domain/company";
import type { CallCredits } from "../calls/max-seconds";
import { toBool, toInt } from "../db/row-values";
import type { Mailer } from "../mail/mailer";
import type { CreditEffects } from "./credit-effects";
import { readAllBalances, readBalance, type BalanceSnapshot } from "./ledger-repo";
import { sendLowBalanceEmails } from "./low-balance";
import { databaseKey, forgetRatersExcept, raterFor, rememberRater } from "./rater-cache";
import { ensureDefaultTariff, listTariffVersions, versionAt, type TariffVersionRecord } from "./tariff-repo";

/** After a call's limit, how long its reservation outlives it waiting for the CDR before the ledger is read again. */
export const reservationMarginMs = 120_000;

interface ReservationRow {
  pbx_uniqueid: string;
  company_id: number;
  number: string;
  started_at: number | string;
  plan: Plan;
  is_trial: boolean | number;
  max_call_seconds: number | string;
}

interface Reservation {
  companyId: number;
  micros: number;
  until: number;
  /** The tariff version the call is rated with: its rater stays in memory until the call is charged. */
  version: number | null;
}

export interface RatedRow {
  version: number;
  row: TariffRow;
}

/**
 * The credit state the authorize path reads without touching the database:
 * balances (kept in step by every ledger write after its commit), credit held
 * by calls in progress, and a rater per tariff version. One per database.
 */
export class CreditsRuntime {
  readonly #db: Knex;
  readonly #balances = new Map<number, BalanceSnapshot>();
  readonly #reservations = new Map<string, Reservation>();
  readonly #reservedByCompany = new Map<number, number>();
  readonly #raters = new Map<number, Rater<TariffRow>>();
  #versions: TariffVersionRecord[] = [];
  #loading: Promise<void> | null = null;
  /** The trial's per-call cap; tests and demos shorten it. */
  trialCapSeconds = trialCallCapSeconds;
  mailer: Mailer | null = null;
  /** Builds a stored version's rater (null: read and built here); the composition root points it at the import thread. */
  loadRater: ((versionId: number) => Promise<Rater<TariffRow>>) | null = null;

  constructor(db: Knex) {
    this.#db = db;
  }

  /** Loads everything once (the default tariff first, at first start); later calls wait for the same load. */
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
    for (const snapshot of await readAllBalances(this.#db)) this.applyBalance(snapshot);
    await this.#rebuildReservations(now);
  }

  /**
   * Reads the version list again (another process imported or restored one):
   * the rater of the version now in force is built before the list is swapped,
   * so authorize never finds a version without its rater.
   */
  async reloadVersions(now: number): Promise<void> {
    const versions = await listTariffVersions(this.#db);
    const current = versionAt(versions, now);
    if (current !== null && !this.#raters.has(current.id)) this.#raters.set(current.id, await raterFor(this.#db, current.id, this.loadRater));
    this.#versions = versions;
    this.#forgetUnused(now);
  }

  /**
   * A whole version's rater is large (a 400,000-row tariff is ~100 MB of
   * rows): only the version in force and those of calls still in progress
   * are kept. An older one is read again if an old call's record needs it.
   */
  #forgetUnused(now: number): void {
    const keep = new Set<number>();
    const current = versionAt(this.#versions, now);
    if (current !== null) keep.add(current.id);
    for (const reservation of this.#reservations.values()) if (reservation.version !== null) keep.add(reservation.version);
    for (const id of this.#raters.keys()) if (!keep.has(id)) this.#raters.delete(id);
    forgetRatersExcept(this.#db, keep);
  }

  /** A call rated with an older version ended: its rater goes unless another call in progress still uses it. */
  #forgetIfUnused(version: number): void {
    if (!this.#raters.has(version) || versionAt(this.#versions, Number.MAX_SAFE_INTEGER)?.id === version) return;
    for (const reservation of this.#reservations.values()) if (reservation.version === version) return;
    this.#raters.delete(version);
    forgetRatersExcept(this.#db, new Set(this.#raters.keys()));
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
    if (rater === undefined) this.#raters.set(version.id, (rater = await raterFor(this.#db, version.id, this.loadRater)));
    return { id: version.id, rows: rater.rows };
  }

  /** Calls authorized and not yet ended hold credit again after a restart, reserved in the order they started. */
  async #rebuildReservations(now: number): Promise<void> {
    const rows = await this.#db("calls")
      .join("companies", "companies.id", "calls.company_id")
      .where("calls.status", "authorized")
      .whereNull("calls.ended_at")
      .orderBy("calls.started_at")
      .select<ReservationRow[]>("calls.pbx_uniqueid", "calls.company_id", "calls.number", "calls.started_at", "companies.plan", "companies.is_trial", "companies.max_call_seconds");
    for (const row of rows) {
      const companyId = toInt(row.company_id);
      const startedAt = toInt(row.started_at);
      const maxCallSeconds = toInt(row.max_call_seconds);
      const rated = await this.rateAt(row.number, startedAt);
      if (rated === null || maxCallSeconds <= 0) continue;
      const answer = authorizeCall({ plan: row.plan, isTrial: toBool(row.is_trial), callerEnabled: true, balance: this.balance(companyId), row: rated.row, trialCapSeconds: this.trialCapSeconds, companyMaxSeconds: maxCallSeconds });
      if (!answer.ok) continue;
      const until = startedAt + answer.maxSeconds * 1000 + reservationMarginMs;
      if (until > now) this.reserve(row.pbx_uniqueid, companyId, answer.reserveMicros, until, rated.version);
    }
    this.#forgetUnused(now);
  }

  /** The rater of the version in force at `atMs` (read from the database if not yet held). */
  async rateAt(e164: string, atMs: number): Promise<RatedRow | null> {
    const version = versionAt(this.#versions, atMs);
    if (version === null) return null;
    let rater = this.#raters.get(version.id);
    if (rater === undefined) this.#raters.set(version.id, (rater = await raterFor(this.#db, version.id, this.loadRater)));
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
    this.#raters.set(version.id, rememberRater(this.#db, version.id, rater));
    this.#versions = [...this.#versions.filter((v) => v.id !== version.id), version].sort((a, b) => a.id - b.id);
    this.#forgetUnused(now);
  }

  /** Before a company's call is decided: normally nothing to do; a company or version not seen yet is read once. */
  async prepare(companyId: number, now: number): Promise<void> {
    await this.ready(now);
    await this.ensureBalance(companyId);
    const version = versionAt(this.#versions, now);
    if (version !== null && !this.#raters.has(version.id)) this.#raters.set(version.id, await raterFor(this.#db, version.id, this.loadRater));
  }

  /** The synchronous view the call limit reads (src-server/calls/max-seconds.ts). */
  callCredits(now: number): CallCredits {
    return {
      balance: (companyId) => this.balance(companyId),
      rowFor: (_companyId, to) => this.rateNow(to, now)?.row ?? null,
      trialCapSeconds: this.trialCapSeconds,
    };
  }

  hasBalance(companyId: number): boolean {
    return this.#balances.has(companyId);
  }

  /** A company not seen since start: one read, then memory. */
  async ensureBalance(companyId: number): Promise<void> {
    if (!this.#balances.has(companyId)) this.applyBalance(await readBalance(this.#db, companyId));
  }

  balance(companyId: number): CallBalance {
    const held = this.#balances.get(companyId);
    return { bonusMicros: held?.bonusMicros ?? 0, purchasedMicros: held?.purchasedMicros ?? 0, reservedMicros: this.#reservedByCompany.get(companyId) ?? 0 };
  }

  /** Keeps the newest copy: snapshots may arrive out of order. */
  applyBalance(snapshot: BalanceSnapshot): void {
    const held = this.#balances.get(snapshot.companyId);
    if (held === undefined || snapshot.version >= held.version) this.#balances.set(snapshot.companyId, snapshot);
  }

  reserve(uniqueid: string, companyId: number, micros: number, until: number, version: number | null = null): void {
    this.release(uniqueid);
    this.#reservations.set(uniqueid, { companyId, micros, until, version });
    this.#reservedByCompany.set(companyId, (this.#reservedByCompany.get(companyId) ?? 0) + micros);
  }

  /** Reserves what the call costs if it runs to `maxSeconds` (rated again: sub-microsecond). */
  reserveCall(uniqueid: string, companyId: number, to: string, maxSeconds: number, now: number): void {
    const rated = this.rateNow(to, now);
    this.reserve(uniqueid, companyId, rated === null ? 0 : callCostMicros(maxSeconds, rated.row), now + maxSeconds * 1000 + reservationMarginMs, rated?.version ?? null);
  }

  release(uniqueid: string): void {
    const held = this.#reservations.get(uniqueid);
    if (held === undefined) return;
    this.#reservations.delete(uniqueid);
    if (held.version !== null) this.#forgetIfUnused(held.version);
    const left = (this.#reservedByCompany.get(held.companyId) ?? 0) - held.micros;
    if (left <= 0) this.#reservedByCompany.delete(held.companyId);
    else this.#reservedByCompany.set(held.companyId, left);
  }

  reservedMicros(companyId: number): number {
    return this.#reservedByCompany.get(companyId) ?? 0;
  }

  /**
   * Reservations past their call's limit whose CDR never reported here (it
   * came through a path that bypasses this process's writer): the ledger is
   * read again first, so the charge is in the balance before the hold goes.
   */
  async sweep(now: number): Promise<void> {
    const stale = [...this.#reservations].filter(([, r]) => r.until <= now);
    for (const companyId of new Set(stale.map(([, r]) => r.companyId))) this.applyBalance(await readBalance(this.#db, companyId));
    for (const [uniqueid] of stale) this.release(uniqueid);
  }

  /** After the commit of a write that changed credit. */
  apply(effects: CreditEffects): void {
    if (effects.applied === true) return;
    effects.applied = true;
    for (const snapshot of effects.balances) this.applyBalance(snapshot);
    for (const uniqueid of effects.endedCalls) this.release(uniqueid);
    const mailer = this.mailer;
    if (mailer !== null) {
      for (const warning of effects.warnings) drop(sendLowBalanceEmails(this.#db, mailer, warning));
    }
  }
}

const runtimes = new WeakMap<object, CreditsRuntime>();

/** The credit state cached for this database (its transactions included). */
export function creditsFor(db: Knex): CreditsRuntime {
  const key = databaseKey(db);
  let runtime = runtimes.get(key);
  if (runtime === undefined) runtimes.set(key, (runtime = new CreditsRuntime(db)));
  return runtime;
}

interface Transactor {
  parentTransaction?: Transactor;
  executionPromise?: Promise<unknown>;
}

/**
 * Applies `effects` to this thread's credit state once `trx` (a savepoint
 * too) and the transaction around it have committed; nothing on rollback.
 * A thread without credit state (the writer's worker) leaves them to the
 * caller, who gets them back in the write's result.
 */
export function applyAfterCommit(trx: Knex.Transaction, effects: CreditEffects): void {
  const runtime = runtimes.get(databaseKey(trx));
  if (runtime === undefined) return;
  const own = trx as unknown as Transactor;
  let top = own;
  while (top.parentTransaction !== undefined) top = top.parentTransaction;
  if (own.executionPromise === undefined || top.executionPromise === undefined) return;
  void Promise.all([own.executionPromise, top.executionPromise]).then(
    () => runtime.apply(effects),
    () => undefined,
  );
}
