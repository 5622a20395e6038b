import type BetterSqlite3 from "better-sqlite3";
import type { Knex } from "knex";
import type { CallBalance } from "../../src-shared/credits/authorize-call";
import { dialectOf } from "../db/open-database";
import { toInt } from "../db/row-values";
import { claimReservation, findReservation, readCallBalance, type NewReservation } from "./reservation-repo";

/** A hold the call's record carries to the writer: its row is written in that commit (SQLite). */
export interface DeferredHold extends NewReservation {
  /** Which claim of this uniqueid it is: a repeat's newer claim is not settled by the older one's commit. */
  claim: number;
}

/** What a claim decided: `hold` null when refused (or the claim lost every race); `deferred` when its row is still to be written. */
export interface ClaimOutcome<T> {
  decision: T;
  hold: NewReservation | null;
  deferred: DeferredHold | null;
}

/** Decides on a balance; returns the hold to claim for an allowed call, null for a refusal. */
export type Decide<T> = (balance: CallBalance) => { decision: T; hold: NewReservation | null };

/**
 * How a call's hold is claimed. Either way, two authorizes never spend the
 * same credit: each decides on a balance that already counts every hold
 * claimed before it.
 */
export interface HoldClaims {
  claim<T>(companyId: number, decide: Decide<T>, lost: T, now: number): Promise<ClaimOutcome<T>>;
  /** The deferred hold's row is committed: it counts in the database from now on. */
  settle(hold: DeferredHold): void;
  /** What this process holds for the company and has not committed yet. */
  pendingMicros(companyId: number): number;
  /** Deferred holds whose write failed are let go once their call's limit has passed. */
  sweep(now: number): void;
}

/** Releases a uniqueid's earlier hold through the one release path. */
export type ReleaseEarlier = (companyId: number, pbxUniqueid: string, now: number) => Promise<void>;

/** Claims that lose to another authorize re-read the balance and decide again; each loss means credit was taken meanwhile. */
const maxClaimAttempts = 10;

/**
 * PostgreSQL (several servers on one database): the claim is one conditional
 * update, committed before the answer; a concurrent claim waits for the row
 * and is checked again against what the first left.
 */
export function databaseHoldClaims(db: Knex, releaseEarlier: ReleaseEarlier): HoldClaims {
  return {
    async claim(companyId, decide, lost, now) {
      for (let attempt = 0; attempt < maxClaimAttempts; attempt += 1) {
        const { decision, hold } = decide(await readCallBalance(db, companyId));
        if (hold === null) return { decision, hold: null, deferred: null };
        const claimed = await claimReservation(db, hold, now).catch(async (error: unknown) => {
          // Held already under this uniqueid (another server answered it first, its record not yet committed): replaced, as a repeat is.
          if ((await findReservation(db, hold.pbxUniqueid)) === undefined) throw error;
          await releaseEarlier(companyId, hold.pbxUniqueid, now);
          return false;
        });
        if (claimed) return { decision, hold, deferred: null };
      }
      return { decision: lost, hold: null, deferred: null };
    },
    settle: () => undefined,
    pendingMicros: () => 0,
    sweep: () => undefined,
  };
}

type Connection = BetterSqlite3.Database;
interface BalanceRow {
  bonus_micros: number | bigint;
  purchased_micros: number | bigint;
  reserved_micros: number | bigint;
}

/**
 * SQLite (one server process by construction): the balance is read and the
 * hold claimed in one synchronous step on this thread, against the committed
 * balance plus the holds claimed here and not yet committed. No write waits
 * for the writer thread's fsync: the hold's row goes with the call's record in
 * the writer's next group commit, ahead of any charge of the call (the same
 * writer, in order). Until then a crash loses the hold and the record together;
 * the call's CDR then makes the record and charges it once, as for any call
 * without a hold.
 */
export class ProcessHoldClaims implements HoldClaims {
  readonly #db: Knex;
  /** Claimed here, row not yet committed: by uniqueid. */
  readonly #pending = new Map<string, DeferredHold>();
  #claims = 0;

  constructor(db: Knex) {
    this.#db = db;
  }

  async claim<T>(companyId: number, decide: Decide<T>, _lost: T, _now: number): Promise<ClaimOutcome<T>> {
    const client = this.#db.client as { acquireConnection(): Promise<Connection>; releaseConnection(connection: Connection): Promise<void> };
    const connection = await client.acquireConnection();
    try {
      // From the read to the claim nothing else runs on this thread: no other claim can slip between them.
      const row = connection.prepare("SELECT bonus_micros, purchased_micros, reserved_micros FROM credit_balances WHERE company_id = ?").get(companyId) as BalanceRow | undefined;
      const pendingMicros = this.pendingMicros(companyId);
      const balance: CallBalance = {
        bonusMicros: row === undefined ? 0 : toInt(row.bonus_micros),
        purchasedMicros: row === undefined ? 0 : toInt(row.purchased_micros),
        reservedMicros: (row === undefined ? 0 : toInt(row.reserved_micros)) + pendingMicros,
      };
      const { decision, hold } = decide(balance);
      if (hold === null) return { decision, hold: null, deferred: null };
      this.#claims += 1;
      const deferred: DeferredHold = { ...hold, claim: this.#claims };
      this.#pending.set(hold.pbxUniqueid, deferred);
      return { decision, hold, deferred };
    } finally {
      await client.releaseConnection(connection);
    }
  }

  /** Between the commit and this call the hold counts twice (row and pending): never less than once. */
  settle(hold: DeferredHold): void {
    if (this.#pending.get(hold.pbxUniqueid)?.claim === hold.claim) this.#pending.delete(hold.pbxUniqueid);
  }

  pendingMicros(companyId: number): number {
    let micros = 0;
    for (const held of this.#pending.values()) if (held.companyId === companyId) micros += held.micros;
    return micros;
  }

  sweep(now: number): void {
    for (const [uniqueid, held] of this.#pending) if (held.untilMs <= now) this.#pending.delete(uniqueid);
  }
}

export function holdClaimsFor(db: Knex, releaseEarlier: ReleaseEarlier): HoldClaims {
  return dialectOf(db) === "sqlite" ? new ProcessHoldClaims(db) : databaseHoldClaims(db, releaseEarlier);
}
