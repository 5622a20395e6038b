import { describe, expect, it } from "vitest";
import { daysBetween, usageSeries } from "./usage-series";

const row = (day: string, destination: string, costMicros: number) => ({ day, destination, calls: 1, billedSeconds: 60, costMicros });

describe("the usage chart's rows", () => {
  it("has every day of the period in order, destinations biggest spend first, costs summed per day", () => {
    const { rows, destinations } = usageSeries(
      [row("2026-11-03", "Japan", 100), row("2026-11-01", "United States", 300), row("2026-11-01", "Japan", 100), row("2026-11-03", "United States", 100), row("2026-11-03", "Japan", 50)],
      { from: "2026-11-01", to: "2026-11-04" },
    );
    expect(destinations).toEqual(["United States", "Japan"]);
    expect(rows).toEqual([
      { day: "2026-11-01", totalMicros: 400, costs: { "United States": 300, Japan: 100 } },
      { day: "2026-11-02", totalMicros: 0, costs: {} },
      { day: "2026-11-03", totalMicros: 250, costs: { Japan: 150, "United States": 100 } },
      { day: "2026-11-04", totalMicros: 0, costs: {} },
    ]);
  });

  it("leaves out destinations that cost nothing, and has no rows for a malformed period", () => {
    expect(usageSeries([row("2026-11-01", "Japan", 0)], { from: "2026-11-01", to: "2026-11-01" })).toEqual({ rows: [{ day: "2026-11-01", totalMicros: 0, costs: {} }], destinations: [] });
    expect(daysBetween("2026-11-02", "2026-11-01")).toEqual([]);
    expect(daysBetween("", "2026-11-01")).toEqual([]);
  });

  it("counts the days of a month across a leap day and a year end", () => {
    expect(daysBetween("2028-02-01", "2028-02-29")).toHaveLength(29);
    expect(daysBetween("2026-12-31", "2027-01-01")).toEqual(["2026-12-31", "2027-01-01"]);
  });
});
