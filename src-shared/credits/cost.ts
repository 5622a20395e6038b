import { assertMicros, assertWholeSeconds } from "./micros";
import type { BillingIncrements, TariffRow } from "./tariff";

export type CostRow = Pick<TariffRow, "ratePerMinuteMicros" | "connectionFeeMicros" | "increments">;

/**
 * `maxSecondsAffordable` never answers more (about 31 years; it answers the
 * last increment end at or below it), so a free destination or a huge
 * balance gives a finite, safe number. The PBX caps a call far below it.
 */
export const affordableSecondsCeiling = 1_000_000_000;

/** The duration charged for: 0 stays 0, otherwise the first increment plus every started next increment. */
export function chargedSeconds(billedSeconds: number, increments: BillingIncrements): number {
  assertWholeSeconds(billedSeconds, "billed seconds");
  if (billedSeconds === 0) return 0;
  if (billedSeconds <= increments.first) return increments.first;
  return increments.first + Math.ceil((billedSeconds - increments.first) / increments.next) * increments.next;
}

const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;

/**
 * The cost of a call of `billedSeconds` (the PBX's billsec) under `row`.
 * An unanswered call (0 s) costs nothing: no connection fee either.
 * Every increment is priced at rate × length / 60 and the total is rounded up
 * to the whole micro-dollar once per call, never per increment, so a long call
 * on 1/1 increments costs at most one micro-dollar more than the exact price.
 */
export function callCostMicros(billedSeconds: number, row: CostRow): number {
  const seconds = chargedSeconds(billedSeconds, row.increments);
  if (seconds === 0) return 0;
  const rate = BigInt(assertMicros(row.ratePerMinuteMicros, "rate per minute"));
  const fee = BigInt(assertMicros(row.connectionFeeMicros, "connection fee"));
  return assertMicros(Number(fee + ceilDiv(rate * BigInt(seconds), 60n)), "call cost");
}

/**
 * The largest billed seconds whose cost is within `balanceMicros`: exact, so
 * `callCostMicros(max) ≤ balance < callCostMicros(max + 1)` unless the
 * ceiling is what stopped it. It always lands at the end of an increment. 0 when the balance
 * cannot pay the connection fee and the first increment.
 */
export function maxSecondsAffordable(balanceMicros: number, row: CostRow): number {
  const balance = BigInt(assertMicros(balanceMicros, "balance"));
  const rate = BigInt(assertMicros(row.ratePerMinuteMicros, "rate per minute"));
  const budget = balance - BigInt(assertMicros(row.connectionFeeMicros, "connection fee"));
  const first = BigInt(row.increments.first);
  const next = BigInt(row.increments.next);
  const ceiling = BigInt(affordableSecondsCeiling);
  if (budget < 0n) return 0;
  // ceil(rate × s / 60) ≤ budget  ⇔  rate × s ≤ 60 × budget, as budget is whole.
  const limit = rate === 0n ? ceiling : (60n * budget) / rate;
  const reach = limit < ceiling ? limit : ceiling;
  if (reach < first) return 0;
  return Number(first + ((reach - first) / next) * next);
}
