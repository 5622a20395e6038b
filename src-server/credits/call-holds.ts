import type { Knex } from "knex";
import type { CreditEffects } from "./credit-effects";
import { lockBalance } from "./ledger-repo";
import { writeCredit } from "./ledger-write";
import { carryBonus, companyReservations, deleteReservation } from "./reservation-repo";

/**
 * Inside `trx`: the call's hold goes (charged, refused, interrupted or timed
 * out: always here). Bonus of an expired month the call carried and did not
 * spend (`usedBonusMicros` of its charge came from bonus) expires now, as it
 * would have at month end. The balance row is locked first, as every write
 * to a company's credit does, so holds and charges take turns in one order.
 */
export async function releaseHold(trx: Knex.Transaction, companyId: number, pbxUniqueid: string, usedBonusMicros: number, now: number, effects: CreditEffects): Promise<void> {
  await lockBalance(trx, companyId);
  const held = await deleteReservation(trx, pbxUniqueid);
  if (held === null || held.carriedBonusMicros <= 0 || held.carriedPeriod === null) return;
  const unspent = held.carriedBonusMicros - Math.min(held.carriedBonusMicros, usedBonusMicros);
  const { bonusMicros } = await lockBalance(trx, companyId);
  const expiring = Math.min(unspent, Math.max(0, bonusMicros));
  if (expiring <= 0) return;
  const entry = { bucket: "bonus", kind: "expiry", amountMicros: -expiring, idempotencyKey: `expiry:${held.carriedPeriod}:${pbxUniqueid}`, period: held.carriedPeriod, noteCode: "bonus_unused" } as const;
  await writeCredit(trx, companyId, [entry], now, effects);
}

/**
 * Inside `trx`, the balance row locked, at the end of `period`: how much of
 * the bonus expires now. Calls in progress hold bonus first; what they hold
 * stays theirs (noted on each hold, oldest first) until their charge posts.
 */
export async function bonusExpiringNow(trx: Knex.Transaction, companyId: number, bonusMicros: number, period: string): Promise<number> {
  let held = 0;
  for (const hold of await companyReservations(trx, companyId)) {
    const carried = Math.min(hold.micros - hold.carriedBonusMicros, bonusMicros - held);
    if (carried <= 0) break;
    await carryBonus(trx, hold.pbxUniqueid, carried, period);
    held += carried;
  }
  return bonusMicros - held;
}
