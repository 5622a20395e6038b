import { describe, expect, it } from "vitest";
import { stackUsage } from "./usage-bars";

const row = (day: string, destination: string, costMicros: number) => ({ day, destination, calls: 1, billedSeconds: 60, costMicros });

describe("the usage chart's stacked bars", () => {
  it("puts days in order, destinations in one order (biggest spend first) and scales to the costliest day", () => {
    const { bars, destinations, maxMicros } = stackUsage([
      row("2026-11-02", "Japan", 100),
      row("2026-11-01", "United States", 300),
      row("2026-11-01", "Japan", 100),
      row("2026-11-02", "United States", 100),
    ]);
    expect(destinations).toEqual(["United States", "Japan"]);
    expect(maxMicros).toBe(400);
    expect(bars.map((b) => b.day)).toEqual(["2026-11-01", "2026-11-02"]);
    expect(bars[0]!.segments).toEqual([
      { destination: "United States", costMicros: 300, y0: 0, y1: 0.75 },
      { destination: "Japan", costMicros: 100, y0: 0.75, y1: 1 },
    ]);
    expect(bars[1]!.totalMicros).toBe(200);
    expect(bars[1]!.segments.at(-1)!.y1).toBeCloseTo(0.5);
  });

  it("draws nothing for a period without spend", () => {
    expect(stackUsage([])).toEqual({ bars: [], destinations: [], maxMicros: 0 });
    expect(stackUsage([row("2026-11-01", "Japan", 0)]).bars[0]!.segments).toEqual([]);
  });
});
