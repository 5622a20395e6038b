import { describe, expect, it } from "vitest";
import { TariffRow, isInForce, periodsOverlap } from "./tariff";

const japan = {
  prefix: "81",
  destination: "Japan",
  kind: "fixed",
  ratePerMinuteMicros: 45_000,
  connectionFeeMicros: 0,
  increments: { first: 30, next: 6 },
  effectiveFrom: Date.UTC(2026, 0, 1),
  effectiveTo: null,
};

describe("TariffRow schema", () => {
  it("accepts a well-formed row", () => {
    expect(TariffRow.parse(japan)).toEqual(japan);
  });

  it("refuses a prefix with + or a leading 0, fractional or negative money, unknown increments and an empty period", () => {
    for (const bad of [
      { ...japan, prefix: "+81" },
      { ...japan, prefix: "081" },
      { ...japan, ratePerMinuteMicros: 0.5 },
      { ...japan, connectionFeeMicros: -1 },
      { ...japan, increments: { first: 600, next: 60 } },
      { ...japan, increments: { first: 60, next: 0 } },
      { ...japan, kind: "landline" },
      { ...japan, effectiveTo: japan.effectiveFrom },
    ]) {
      expect(TariffRow.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe("effective periods", () => {
  it("include their start and exclude their end", () => {
    const period = { effectiveFrom: 100, effectiveTo: 200 };
    expect([99, 100, 199, 200].map((t) => isInForce(period, t))).toEqual([false, true, true, false]);
    expect(isInForce({ effectiveFrom: 100, effectiveTo: null }, Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it("overlap only when they share an instant", () => {
    expect(periodsOverlap({ effectiveFrom: 0, effectiveTo: 100 }, { effectiveFrom: 100, effectiveTo: null })).toBe(false);
    expect(periodsOverlap({ effectiveFrom: 0, effectiveTo: 101 }, { effectiveFrom: 100, effectiveTo: null })).toBe(true);
    expect(periodsOverlap({ effectiveFrom: 0, effectiveTo: null }, { effectiveFrom: 500, effectiveTo: 600 })).toBe(true);
  });
});
