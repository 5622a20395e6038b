import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { estimateMos, qualityLevel, rFactor } from "./mos";

describe("estimateMos", () => {
  it("scores a clean loopback call about 4.4, which is good", () => {
    const mos = estimateMos({ rttMs: 1, jitterMs: 0.5, lossPercent: 0 });
    expect(mos).toBeGreaterThan(4.35);
    expect(mos).toBeLessThanOrEqual(4.5);
    expect(qualityLevel(mos)).toBe("good");
  });

  it("calls a 300 ms round trip with 30 ms jitter and 3 % loss fair", () => {
    const mos = estimateMos({ rttMs: 300, jitterMs: 30, lossPercent: 3 });
    expect(mos).toBeGreaterThanOrEqual(3.6);
    expect(qualityLevel(mos)).toBe("fair");
  });

  it("calls 10 % loss poor", () => {
    expect(qualityLevel(estimateMos({ rttMs: 50, jitterMs: 5, lossPercent: 10 }))).toBe("poor");
  });

  it("calls a 1 s round trip poor even without loss", () => {
    expect(qualityLevel(estimateMos({ rttMs: 1000, jitterMs: 10, lossPercent: 0 }))).toBe("poor");
  });

  it("puts the thresholds at 4.0 and 3.6", () => {
    expect(qualityLevel(4.0)).toBe("good");
    expect(qualityLevel(3.99)).toBe("fair");
    expect(qualityLevel(3.6)).toBe("fair");
    expect(qualityLevel(3.59)).toBe("poor");
  });

  it("stays within 1…4.5 and never rises when the network gets worse", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 5000, noNaN: true }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        (rttMs, jitterMs, lossPercent, worse) => {
          const base = estimateMos({ rttMs, jitterMs, lossPercent });
          expect(base).toBeGreaterThanOrEqual(1);
          expect(base).toBeLessThanOrEqual(4.5);
          expect(estimateMos({ rttMs: rttMs + worse, jitterMs, lossPercent })).toBeLessThanOrEqual(base + 1e-9);
          expect(estimateMos({ rttMs, jitterMs: jitterMs + worse, lossPercent })).toBeLessThanOrEqual(base + 1e-9);
          expect(estimateMos({ rttMs, jitterMs, lossPercent: Math.min(100, lossPercent + worse) })).toBeLessThanOrEqual(base + 1e-9);
        },
      ),
    );
  });

  it("ignores a figure the stats did not give instead of scoring the call 1", () => {
    expect(rFactor({ rttMs: Number.NaN, jitterMs: 0, lossPercent: 0 })).toBeGreaterThan(90);
    expect(estimateMos({ rttMs: 0, jitterMs: 0, lossPercent: Number.NaN })).toBeGreaterThan(4);
    expect(rFactor({ rttMs: 0, jitterMs: 0, lossPercent: 1000 })).toBe(0);
  });
});
