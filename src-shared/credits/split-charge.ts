import { assertMicros, assertNonNegativeMicros } from "./micros";

export interface CreditBuckets {
  bonusMicros: number;
  purchasedMicros: number;
}

export interface ChargeSplit {
  fromBonusMicros: number;
  fromPurchasedMicros: number;
  /** What the buckets could not pay; the server decides what to do with it. */
  shortfallMicros: number;
}

/**
 * Splits a charge between the buckets: bonus first (it expires at month end),
 * then purchased. No bucket is taken below zero; a bucket already at or below
 * zero pays nothing.
 */
export function splitCharge(chargeMicros: number, buckets: CreditBuckets): ChargeSplit {
  const charge = assertNonNegativeMicros(chargeMicros, "charge");
  const bonus = Math.max(0, assertMicros(buckets.bonusMicros, "bonus balance"));
  const purchased = Math.max(0, assertMicros(buckets.purchasedMicros, "purchased balance"));
  const fromBonusMicros = Math.min(charge, bonus);
  const fromPurchasedMicros = Math.min(charge - fromBonusMicros, purchased);
  return { fromBonusMicros, fromPurchasedMicros, shortfallMicros: charge - fromBonusMicros - fromPurchasedMicros };
}
