import type { UsageReply } from "../../../src-shared/server-api/credits";

export interface DayCosts {
  /** "YYYY-MM-DD" in the company's zone. */
  day: string;
  totalMicros: number;
  /** Micro-dollars by destination; a destination without calls that day is absent. */
  costs: Record<string, number>;
}

/** The days from `from` to `to` inclusive ("YYYY-MM-DD"); empty for a malformed or reversed range. */
export function daysBetween(from: string, to: string): string[] {
  const parse = (value: string) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN);
  const start = parse(from);
  const end = parse(to);
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) return [];
  const days: string[] = [];
  for (let at = start; at <= end; at += 86_400_000) days.push(new Date(at).toISOString().slice(0, 10));
  return days;
}

/**
 * The usage chart's rows: every day of the period in order (a day without
 * calls is a zero, so the axis shows the whole period), and the destinations
 * in one order for every day, the biggest spend overall first (the bottom of
 * each stack, first in the legend).
 */
export function usageSeries(byDay: UsageReply["byDay"], period: { from: string; to: string }): { rows: DayCosts[]; destinations: string[] } {
  const overall = new Map<string, number>();
  const days = new Map<string, DayCosts>(daysBetween(period.from, period.to).map((day) => [day, { day, totalMicros: 0, costs: {} }]));
  for (const row of byDay) {
    if (row.costMicros <= 0) continue;
    overall.set(row.destination, (overall.get(row.destination) ?? 0) + row.costMicros);
    const day = days.get(row.day) ?? { day: row.day, totalMicros: 0, costs: {} };
    day.costs[row.destination] = (day.costs[row.destination] ?? 0) + row.costMicros;
    day.totalMicros += row.costMicros;
    days.set(row.day, day);
  }
  const destinations = [...overall.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name]) => name);
  const rows = [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
  return { rows, destinations };
}
