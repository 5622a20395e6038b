import { describe, expect, it } from "vitest";
import { CallQualitySummary } from "../server-api/calls";
import { scoreSample, summarizeQuality, type QualitySample } from "./quality-summary";

const sample = (packetsReceived: number, packetsLost: number, rttMs: number | null = 2, jitterMs = 1): QualitySample => ({
  packetsReceived,
  packetsLost,
  rttMs,
  jitterMs,
});

describe("scoreSample", () => {
  it("counts loss over the interval since the previous sample", () => {
    const first = scoreSample(sample(100, 0), null);
    const second = scoreSample(sample(150, 50), sample(100, 0));
    expect(first.lossPercent).toBe(0);
    expect(second.lossPercent).toBe(50);
    expect(second.mos).toBeLessThan(first.mos);
  });

  it("uses the last known RTT when the sample has none", () => {
    expect(scoreSample(sample(10, 0, null), null, 250).rttMs).toBe(250);
  });

  it("reports no loss for an interval without packets", () => {
    expect(scoreSample(sample(0, 0), null).lossPercent).toBe(0);
  });
});

describe("summarizeQuality", () => {
  it("has nothing to say about a call without samples", () => {
    expect(summarizeQuality([], null)).toBeNull();
  });

  it("averages the samples, takes the worst MOS and fits the server's schema", () => {
    const samples = [sample(50, 0, 2, 1), sample(100, 0, 4, 3), sample(140, 10, 6, 5)];
    const scored = samples.map((s, i) => scoreSample(s, samples[i - 1] ?? null));
    const summary = summarizeQuality(scored, samples.at(-1) ?? null);
    expect(summary).not.toBeNull();
    expect(summary?.samples).toBe(3);
    expect(summary?.rttMsAverage).toBe(4);
    expect(summary?.jitterMsAverage).toBe(3);
    expect(summary?.packetLossPercent).toBeCloseTo(100 * (10 / 150), 2);
    expect(summary?.mosMin).toBeLessThan(summary?.mosAverage ?? 0);
    expect(CallQualitySummary.safeParse(summary).success).toBe(true);
  });
});
