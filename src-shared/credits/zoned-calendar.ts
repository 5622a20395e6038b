import { CallerError } from "../errors";

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat("en-US", { timeZone, calendar: "gregory", numberingSystem: "latn", year: "numeric", month: "numeric", day: "numeric" });
    } catch {
      throw new CallerError("bad_request", `unknown time zone "${timeZone}"`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

export interface LocalDate {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
}

/** The calendar date an instant falls on in the zone. */
export function localDate(ms: number, timeZone: string): LocalDate {
  const date: LocalDate = { year: 0, month: 0, day: 0 };
  for (const part of formatter(timeZone).formatToParts(ms)) {
    if (part.type === "year" || part.type === "month" || part.type === "day") date[part.type] = Number(part.value);
  }
  return date;
}

const hour = 3_600_000;
const dateKey = (d: LocalDate) => d.year * 10_000 + d.month * 100 + d.day;

/**
 * The first instant of the given day in the zone: its local midnight, or the
 * first instant after it where a DST jump skips midnight. Found by bisection
 * over the window every UTC offset (−12 h … +14 h) falls into, using only Intl.
 */
export function startOfLocalDay(year: number, month: number, day: number, timeZone: string): number {
  const target = dateKey({ year, month, day });
  const utcMidnight = Date.UTC(year, month - 1, day);
  let lo = utcMidnight - 15 * hour; // local date still the day before, in every zone
  let hi = utcMidnight + 13 * hour; // local date already the day, in every zone
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (dateKey(localDate(mid, timeZone)) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}
