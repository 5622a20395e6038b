import type { UsageReply } from "../../../src-shared/server-api/credits";

export interface BarSegment {
  destination: string;
  costMicros: number;
  /** From the bottom of the chart, 0–1 of the tallest day. */
  y0: number;
  y1: number;
}

export interface DayBar {
  day: string;
  totalMicros: number;
  segments: BarSegment[];
}

/**
 * Stacked bars for the usage chart: one bar per day in order, destinations
 * stacked in the same order every day (biggest spend overall at the bottom),
 * heights relative to the most expensive day.
 */
export function stackUsage(byDay: UsageReply["byDay"]): { bars: DayBar[]; destinations: string[]; maxMicros: number } {
  const overall = new Map<string, number>();
  const days = new Map<string, Map<string, number>>();
  for (const row of byDay) {
    overall.set(row.destination, (overall.get(row.destination) ?? 0) + row.costMicros);
    const day = days.get(row.day) ?? new Map<string, number>();
    day.set(row.destination, (day.get(row.destination) ?? 0) + row.costMicros);
    days.set(row.day, day);
  }
  const destinations = [...overall.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name]) => name);
  const totals = [...days.entries()].map(([day, costs]) => ({ day, costs, total: [...costs.values()].reduce((a, b) => a + b, 0) }));
  const maxMicros = Math.max(0, ...totals.map((d) => d.total));
  const bars = totals
    .sort((a, b) => a.day.localeCompare(b.day))
    .map(({ day, costs, total }) => {
      let level = 0;
      const segments: BarSegment[] = [];
      for (const destination of destinations) {
        const cost = costs.get(destination);
        if (cost === undefined || cost <= 0) continue;
        const height = maxMicros === 0 ? 0 : cost / maxMicros;
        segments.push({ destination, costMicros: cost, y0: level, y1: level + height });
        level += height;
      }
      return { day, totalMicros: total, segments };
    });
  return { bars, destinations, maxMicros };
}
