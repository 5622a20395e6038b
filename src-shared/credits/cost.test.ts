import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CallerError } from "../errors";
import { affordableSecondsCeiling, callCostMicros, chargedSeconds, maxSecondsAffordable } from "./cost";
import { knownIncrementSeconds } from "./tariff";
import type { CostRow } from "./cost";

const row = (ratePerMinuteMicros: number, first: number, next: number, connectionFeeMicros = 0): CostRow => ({
  ratePerMinuteMicros,
  connectionFeeMicros,
  increments: { first, next },
});

const increment = fc.constantFrom(...knownIncrementSeconds);
const anyRow = fc
  .tuple(fc.integer({ min: 0, max: 2_000_000 }), increment, increment, fc.integer({ min: 0, max: 100_000 }))
  .map(([rate, first, next, fee]) => row(rate, first, next, fee));

describe("chargedSeconds", () => {
  it("bills the first increment whole, then every started next increment", () => {
    expect([0, 1, 30, 31, 36, 37, 61].map((s) => chargedSeconds(s, { first: 30, next: 6 }))).toEqual([0, 30, 30, 36, 36, 42, 66]);
    expect([1, 60, 61, 121].map((s) => chargedSeconds(s, { first: 60, next: 60 }))).toEqual([60, 60, 120, 180]);
    expect([1, 59].map((s) => chargedSeconds(s, { first: 1, next: 1 }))).toEqual([1, 59]);
  });
});

describe("callCostMicros", () => {
  it("charges nothing for an unanswered call, not even the connection fee", () => {
    expect(callCostMicros(0, row(45_000, 60, 60, 10_000))).toBe(0);
  });

  it("adds the connection fee to the increments", () => {
    expect(callCostMicros(61, row(45_000, 60, 60, 10_000))).toBe(10_000 + 90_000);
  });

  it("rounds up once per call, not per increment", () => {
    // 37 s on 30/6 is 42 s: 10 001 × 42 / 60 = 7000.7 → 7001 (per increment it would be 5001 + 2 × 1001 = 7003).
    expect(callCostMicros(37, row(10_001, 30, 6))).toBe(7001);
    // An hour on 1/1: 600 060 exactly; per-second rounding would charge 3600 × 167 = 601 200.
    expect(callCostMicros(3600, row(10_001, 1, 1))).toBe(600_060);
    expect(callCostMicros(1, row(10_001, 1, 1))).toBe(167);
  });

  it("costs at most one micro-dollar more than the exact price, never less", () => {
    fc.assert(
      fc.property(anyRow, fc.integer({ min: 1, max: 200_000 }), (r, seconds) => {
        const exactTimes60 = r.connectionFeeMicros * 60 + r.ratePerMinuteMicros * chargedSeconds(seconds, r.increments);
        const over = callCostMicros(seconds, r) * 60 - exactTimes60;
        expect(over).toBeGreaterThanOrEqual(0);
        expect(over).toBeLessThan(60);
      }),
    );
  });

  it("never falls as a call gets longer", () => {
    fc.assert(
      fc.property(anyRow, fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 1000 }), (r, seconds, more) => {
        expect(callCostMicros(seconds + more, r)).toBeGreaterThanOrEqual(callCostMicros(seconds, r));
      }),
    );
  });

  it("refuses fractional seconds and fractional money", () => {
    expect(() => callCostMicros(1.5, row(1, 1, 1))).toThrow(CallerError);
    expect(() => callCostMicros(1, row(0.5, 1, 1))).toThrow(CallerError);
  });
});

describe("maxSecondsAffordable", () => {
  it("answers the end of the last increment the balance pays for", () => {
    // $0.045/min on 60/60: $0.10 pays two minutes (0.09), not three.
    expect(maxSecondsAffordable(100_000, row(45_000, 60, 60))).toBe(120);
    expect(maxSecondsAffordable(90_000, row(45_000, 60, 60))).toBe(120);
    expect(maxSecondsAffordable(89_999, row(45_000, 60, 60))).toBe(60);
  });

  it("is 0 when the fee and first increment are out of reach, or the balance is negative", () => {
    expect(maxSecondsAffordable(44_999, row(45_000, 60, 60))).toBe(0);
    expect(maxSecondsAffordable(50_000, row(45_000, 60, 60, 10_000))).toBe(0);
    expect(maxSecondsAffordable(-1, row(45_000, 60, 60))).toBe(0);
  });

  it("gives a free destination the ceiling, as long as the fee is paid", () => {
    expect(maxSecondsAffordable(0, row(0, 60, 60))).toBe(affordableSecondsCeiling - (affordableSecondsCeiling % 60));
    expect(maxSecondsAffordable(9_999, row(0, 60, 60, 10_000))).toBe(0);
  });

  it("agrees with cost(): cost(max) ≤ balance < cost(max + 1) below the ceiling", () => {
    fc.assert(
      fc.property(anyRow.filter((r) => r.ratePerMinuteMicros > 0), fc.integer({ min: 0, max: 1_000_000_000_000 }), (r, balance) => {
        const max = maxSecondsAffordable(balance, r);
        expect(callCostMicros(max, r)).toBeLessThanOrEqual(balance);
        // At the ceiling the next increment is refused for its length, not its price.
        if (max + r.increments.next <= affordableSecondsCeiling) expect(callCostMicros(max + 1, r)).toBeGreaterThan(balance);
      }),
    );
  });

  it("matches a search over every second for small balances", () => {
    fc.assert(
      fc.property(anyRow.filter((r) => r.ratePerMinuteMicros >= 1000), fc.integer({ min: 0, max: 200_000 }), (r, balance) => {
        let best = 0;
        for (let s = 1; s <= 20_000; s += 1) if (callCostMicros(s, r) <= balance) best = s;
        expect(maxSecondsAffordable(balance, r)).toBe(best);
      }),
      { numRuns: 40 },
    );
  });
});
