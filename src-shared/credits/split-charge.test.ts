import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CallerError } from "../errors";
import { splitCharge } from "./split-charge";

describe("splitCharge", () => {
  it("takes a charge from bonus credit while it lasts", () => {
    expect(splitCharge(90_000, { bonusMicros: 4_000_000, purchasedMicros: 10_000_000 })).toEqual({
      fromBonusMicros: 90_000,
      fromPurchasedMicros: 0,
      shortfallMicros: 0,
    });
  });

  it("moves to purchased credit when bonus runs out mid-call", () => {
    expect(splitCharge(2_300_000, { bonusMicros: 1_500_000, purchasedMicros: 10_000_000 })).toEqual({
      fromBonusMicros: 1_500_000,
      fromPurchasedMicros: 800_000,
      shortfallMicros: 0,
    });
  });

  it("reports what neither bucket can pay as a shortfall", () => {
    expect(splitCharge(5_000_000, { bonusMicros: 1_000_000, purchasedMicros: 2_500_000 })).toEqual({
      fromBonusMicros: 1_000_000,
      fromPurchasedMicros: 2_500_000,
      shortfallMicros: 1_500_000,
    });
  });

  it("takes nothing from a bucket already below zero", () => {
    expect(splitCharge(1_000, { bonusMicros: -50, purchasedMicros: 400 })).toEqual({ fromBonusMicros: 0, fromPurchasedMicros: 400, shortfallMicros: 600 });
  });

  it("refuses a negative or fractional charge", () => {
    expect(() => splitCharge(-1, { bonusMicros: 0, purchasedMicros: 0 })).toThrow(CallerError);
    expect(() => splitCharge(0.5, { bonusMicros: 0, purchasedMicros: 0 })).toThrow(CallerError);
  });

  it("preserves the sum, uses bonus first and leaves no bucket negative", () => {
    const amount = fc.integer({ min: 0, max: 1_000_000_000_000 });
    fc.assert(
      fc.property(amount, fc.integer({ min: -1_000_000, max: 1_000_000_000_000 }), amount, (charge, bonusMicros, purchasedMicros) => {
        const split = splitCharge(charge, { bonusMicros, purchasedMicros });
        expect(split.fromBonusMicros + split.fromPurchasedMicros + split.shortfallMicros).toBe(charge);
        for (const part of Object.values(split)) expect(part).toBeGreaterThanOrEqual(0);
        expect(Math.max(0, bonusMicros) - split.fromBonusMicros).toBeGreaterThanOrEqual(0);
        expect(purchasedMicros - split.fromPurchasedMicros).toBeGreaterThanOrEqual(0);
        // Purchased credit is touched only once bonus is used up, and a shortfall only once both are.
        if (split.fromPurchasedMicros > 0) expect(split.fromBonusMicros).toBe(Math.max(0, bonusMicros));
        if (split.shortfallMicros > 0) expect(split.fromPurchasedMicros).toBe(purchasedMicros);
      }),
    );
  });
});
