import { CallerError } from "../errors";
import { localDate, startOfLocalDay } from "./zoned-calendar";

/** Each Caller user adds $4.00 of bonus credit a month. */
export const monthlyBonusPerUserMicros = 4_000_000;

/** A calendar month in the company's zone: [startMs, endMs), each at local midnight on the 1st. */
export interface BonusPeriod {
  /** "2026-11": the key that makes a grant or expiry happen once per month. */
  period: string;
  startMs: number;
  endMs: number;
}

/** A century: the most one call catches up, so a wrong argument cannot loop for long. */
const maxSpanMs = 100 * 366 * 86_400_000;

const label = (year: number, month: number) => `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}`;
const monthAfter = (year: number, month: number): [number, number] => (month === 12 ? [year + 1, 1] : [year, month + 1]);

/** The month in the zone that contains the instant. */
export function bonusPeriodAt(ms: number, timeZone: string): BonusPeriod {
  if (!Number.isSafeInteger(ms)) throw new CallerError("bad_request", `time must be whole UTC ms, got ${String(ms)}`);
  const { year, month } = localDate(ms, timeZone);
  const [nextYear, nextMonth] = monthAfter(year, month);
  return { period: label(year, month), startMs: startOfLocalDay(year, month, 1, timeZone), endMs: startOfLocalDay(nextYear, nextMonth, 1, timeZone) };
}

/**
 * Every month in the zone that overlaps [fromMs, toMs), oldest first, each
 * once: the months a company is owed a grant for (startMs reached) or an
 * expiry for (endMs reached) after the scheduler was away. Ranges that
 * touch share the month between them; the period key keeps that one grant.
 */
export function bonusPeriods(fromMs: number, toMs: number, timeZone: string): BonusPeriod[] {
  if (!Number.isSafeInteger(fromMs) || !Number.isSafeInteger(toMs) || toMs < fromMs) {
    throw new CallerError("bad_request", "bonusPeriods needs whole UTC ms with fromMs ≤ toMs");
  }
  if (toMs - fromMs > maxSpanMs) throw new CallerError("bad_request", "bonusPeriods covers at most a century");
  const periods: BonusPeriod[] = [];
  if (toMs === fromMs) return periods;
  let { year, month } = localDate(fromMs, timeZone);
  let startMs = startOfLocalDay(year, month, 1, timeZone);
  while (startMs < toMs) {
    const [nextYear, nextMonth] = monthAfter(year, month);
    const endMs = startOfLocalDay(nextYear, nextMonth, 1, timeZone);
    periods.push({ period: label(year, month), startMs, endMs });
    [year, month, startMs] = [nextYear, nextMonth, endMs];
  }
  return periods;
}

export function bonusForPeriod(callerUserCount: number): number {
  if (!Number.isSafeInteger(callerUserCount) || callerUserCount < 0) throw new CallerError("bad_request", `caller user count must be a whole number ≥ 0, got ${String(callerUserCount)}`);
  return monthlyBonusPerUserMicros * callerUserCount;
}
