import type { Knex } from "knex";
import type { CallBalance } from "../../src-shared/credits/authorize-call";
import { toInt } from "../db/row-values";

/** Credit one call in progress holds, as its row in credit_reservations. */
export interface Reservation {
  pbxUniqueid: string;
  companyId: number;
  micros: number;
  /** Bonus of an expired month this call still holds (spendable by it alone), and that month. */
  carriedBonusMicros: number;
  carriedPeriod: string | null;
  tariffVersion: number | null;
  untilMs: number;
}

export interface NewReservation {
  pbxUniqueid: string;
  companyId: number;
  micros: number;
  tariffVersion: number | null;
  untilMs: number;
}

interface ReservationRow {
  pbx_uniqueid: string;
  company_id: number | string;
  micros: number | string;
  carried_bonus_micros: number | string;
  carried_period: string | null;
  tariff_version: number | string | null;
  until_ms: number | string;
}

const toReservation = (row: ReservationRow): Reservation => ({
  pbxUniqueid: row.pbx_uniqueid,
  companyId: toInt(row.company_id),
  micros: toInt(row.micros),
  carriedBonusMicros: toInt(row.carried_bonus_micros),
  carriedPeriod: row.carried_period,
  tariffVersion: row.tariff_version === null ? null : toInt(row.tariff_version),
  untilMs: toInt(row.until_ms),
});

/** The buckets and what calls in progress hold of them, as committed. */
export async function readCallBalance(db: Knex, companyId: number): Promise<CallBalance> {
  const row = await db("credit_balances").where({ company_id: companyId }).first<{ bonus_micros: number | string; purchased_micros: number | string; reserved_micros: number | string } | undefined>("bonus_micros", "purchased_micros", "reserved_micros");
  if (row === undefined) return { bonusMicros: 0, purchasedMicros: 0, reservedMicros: 0 };
  return { bonusMicros: toInt(row.bonus_micros), purchasedMicros: toInt(row.purchased_micros), reservedMicros: toInt(row.reserved_micros) };
}

const claimSql = "UPDATE credit_balances SET reserved_micros = reserved_micros + ? WHERE company_id = ? AND bonus_micros + purchased_micros - reserved_micros >= ?";
const insertSql = "INSERT INTO credit_reservations (pbx_uniqueid, company_id, micros, carried_bonus_micros, carried_period, tariff_version, until_ms, created_at) VALUES (?, ?, ?, 0, NULL, ?, ?, ?)";

/**
 * Holds `micros` for the call if, at this instant, the company's unreserved
 * credit covers it. The one conditional update is the claim: on PostgreSQL
 * a concurrent claim waits for the row and is checked again against what the
 * first left, so two processes never spend the same credit. False: not
 * enough left (nothing written).
 */
export async function claimReservation(db: Knex, hold: NewReservation, now: number): Promise<boolean> {
  return db.transaction((trx) => claimInTransaction(trx, hold, now));
}

async function claimInTransaction(trx: Knex.Transaction, hold: NewReservation, now: number): Promise<boolean> {
  // The same two statements as on SQLite: one text of the claim for both databases.
  const claimed = (await trx.raw<{ rowCount: number }>(claimSql, [hold.micros, hold.companyId, hold.micros])).rowCount;
  if (claimed !== 1) return false;
  await trx.raw(insertSql, [hold.pbxUniqueid, hold.companyId, hold.micros, hold.tariffVersion, hold.untilMs, now]);
  return true;
}

/**
 * Inside `trx`: the call's hold removed and taken off its company's sum;
 * null when there is none (released already: a retry, or another process).
 * The delete decides, so two releases of one hold subtract it once.
 */
export async function deleteReservation(trx: Knex.Transaction, pbxUniqueid: string): Promise<Reservation | null> {
  // Raw: knex returns only a count from a delete on SQLite; both engines support RETURNING.
  const result = (await trx.raw("DELETE FROM credit_reservations WHERE pbx_uniqueid = ? RETURNING pbx_uniqueid, company_id, micros, carried_bonus_micros, carried_period, tariff_version, until_ms", [pbxUniqueid])) as ReservationRow[] | { rows: ReservationRow[] };
  const row = (Array.isArray(result) ? result : result.rows)[0];
  if (row === undefined) return null;
  const held = toReservation(row);
  await trx("credit_balances").where({ company_id: held.companyId }).update({ reserved_micros: trx.raw("reserved_micros - ?", [held.micros]) });
  return held;
}

/**
 * Inside `trx` (the writer's commit of the call's record): a hold claimed in
 * this process is written, replacing the uniqueid's earlier one if any. Not
 * conditional: the claim was decided against every hold already.
 */
export async function writeHold(trx: Knex.Transaction, hold: NewReservation, now: number): Promise<void> {
  await deleteReservation(trx, hold.pbxUniqueid);
  await trx.raw(insertSql, [hold.pbxUniqueid, hold.companyId, hold.micros, hold.tariffVersion, hold.untilMs, now]);
  await trx("credit_balances").where({ company_id: hold.companyId }).update({ reserved_micros: trx.raw("reserved_micros + ?", [hold.micros]) });
}

/** A company's holds, oldest first. */
export async function companyReservations(db: Knex, companyId: number): Promise<Reservation[]> {
  return (await db<ReservationRow>("credit_reservations").where({ company_id: companyId }).orderBy([{ column: "created_at" }, { column: "pbx_uniqueid" }]).select("*")).map(toReservation);
}

/** Holds past their call's limit and margin whose charge never came. */
export async function staleReservations(db: Knex, now: number): Promise<Reservation[]> {
  return (await db<ReservationRow>("credit_reservations").where("until_ms", "<=", now).orderBy("until_ms").select("*")).map(toReservation);
}

export async function findReservation(db: Knex, pbxUniqueid: string): Promise<Reservation | undefined> {
  const row = await db<ReservationRow>("credit_reservations").where({ pbx_uniqueid: pbxUniqueid }).first();
  return row === undefined ? undefined : toReservation(row);
}

/** Inside `trx`, the balance row locked: part of an expiring month's bonus stays with this call. */
export async function carryBonus(trx: Knex.Transaction, pbxUniqueid: string, micros: number, period: string): Promise<void> {
  await trx("credit_reservations").where({ pbx_uniqueid: pbxUniqueid }).update({ carried_bonus_micros: trx.raw("carried_bonus_micros + ?", [micros]), carried_period: period });
}
