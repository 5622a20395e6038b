import { localDate, startOfLocalDay } from "../../../src-shared/credits/zoned-calendar";

/** A date input's value ("YYYY-MM-DD") for an instant, in the company's zone. */
export function toDateInput(ms: number, timeZone: string): string {
  const d = localDate(ms, timeZone);
  return `${String(d.year).padStart(4, "0")}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
}

function parseDateInput(value: string): { year: number; month: number; day: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

/** The first instant of that day in the zone; null for an empty or malformed input. */
export function dayStart(value: string, timeZone: string): number | null {
  const d = parseDateInput(value);
  return d === null ? null : startOfLocalDay(d.year, d.month, d.day, timeZone);
}

/** The first instant of the day after (periods are half-open, so "to" includes the whole day). */
export function dayEnd(value: string, timeZone: string): number | null {
  const d = parseDateInput(value);
  if (d === null) return null;
  const next = new Date(Date.UTC(d.year, d.month - 1, d.day + 1));
  return startOfLocalDay(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), timeZone);
}

/** This month so far, as date inputs: the usage panel's first period. */
export function thisMonth(now: number, timeZone: string): { from: string; to: string } {
  const today = localDate(now, timeZone);
  return { from: `${String(today.year).padStart(4, "0")}-${String(today.month).padStart(2, "0")}-01`, to: toDateInput(now, timeZone) };
}

/** The whole previous calendar month in the zone, as date inputs. */
export function lastMonth(now: number, timeZone: string): { from: string; to: string } {
  const today = localDate(now, timeZone);
  const year = today.month === 1 ? today.year - 1 : today.year;
  const month = today.month === 1 ? 12 : today.month - 1;
  // Day 0 of the next month is this month's last day.
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const ym = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}`;
  return { from: `${ym}-01`, to: `${ym}-${String(last).padStart(2, "0")}` };
}
