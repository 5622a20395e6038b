/** Display formatting through Intl only, in the UI language and the company's currency/time zone. */

export const microsPerUnit = 1_000_000;

const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(locale: string, currency: string, maxDigits: number): Intl.NumberFormat {
  const key = `${locale}|${currency}|${maxDigits}`;
  let format = moneyFormats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: maxDigits });
    moneyFormats.set(key, format);
  }
  return format;
}

// The first formatter with a time zone or unit costs hundreds of ms (ICU loads its data); each
// later one still costs. Built on first use and kept, one per locale and options.
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A date/time formatter for `locale` and `options`, made once. */
export function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, options);
    dateFormats.set(key, format);
  }
  return format;
}

const unitFormats = new Map<string, Intl.NumberFormat>();

function unitFormat(locale: string, unit: string): Intl.NumberFormat {
  const key = `${locale}|${unit}`;
  let format = unitFormats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "short" });
    unitFormats.set(key, format);
  }
  return format;
}

/** Balances, amounts and costs: always 2 decimals ($27.974 reads $27.97). */
export function formatMoney(micros: number, currency: string, locale: string): string {
  return moneyFormat(locale, currency, 2).format(micros / microsPerUnit);
}

/** Per-minute rates and fees of a tariff row: the only money shown with more than 2 decimals ($0.0123). */
export function formatRate(micros: number, currency: string, locale: string): string {
  return moneyFormat(locale, currency, 4).format(micros / microsPerUnit);
}

/** Whole minutes a balance buys at a per-minute rate, ignoring any per-call limit. */
export function minutesBalanceBuys(balanceMicros: number, ratePerMinuteMicros: number): number {
  if (ratePerMinuteMicros <= 0 || balanceMicros <= 0) return 0;
  return Math.floor(balanceMicros / ratePerMinuteMicros);
}

/** A running call timer: "0:07", "12:34", "1:02:03". */
export function formatTimer(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = String(s % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}

/** A call's length in words: "2 min 5 sec" / "2分5秒". */
export function formatDuration(totalSeconds: number, locale: string): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const unit = (value: number, name: "minute" | "second") => unitFormat(locale, name).format(value);
  const minutes = Math.floor(s / 60);
  return minutes > 0 ? `${unit(minutes, "minute")} ${unit(s % 60, "second")}` : unit(s, "second");
}

/** The computer's own time zone, the one a reader assumes when none is named. */
export function localTimeZone(): string {
  // Not cached: a formatter keeps the zone it was made in, and the computer may move zones.
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * The one date-and-time style of the app. Given the company's time zone, times are shown
 * in it and, when it is not the computer's, the zone is named so "9:00" cannot be misread.
 */
export function formatDateTime(ms: number, locale: string, timeZone?: string, computerZone: string = localTimeZone()): string {
  const named = timeZone !== undefined && timeZone !== computerZone;
  return dateFormat(locale, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    ...(timeZone ? { timeZone } : {}),
    ...(named ? { timeZoneName: "short" } : {}),
  }).format(ms);
}

/** The calendar day of a moment in a zone, as "2026-12-06": equal strings are the same day, the first 4 characters its year. */
function calendarDay(ms: number, timeZone: string): string {
  return dateFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(ms);
}

/**
 * A recent moment, short enough for the top bar: the time alone when it is today, the day and
 * time (no year) otherwise. The full `formatDateTime` goes in the element's title.
 */
export function formatRecentTime(ms: number, locale: string, now: number, timeZone: string = localTimeZone()): string {
  const today = calendarDay(ms, timeZone) === calendarDay(now, timeZone);
  return dateFormat(locale, { ...(today ? {} : { month: "short", day: "numeric" }), hour: "numeric", minute: "2-digit", timeZone }).format(ms);
}

/**
 * A row's time in a list (call history): the time alone today, the day and time this year, the full date
 * before. The zone is not named on each row: the column's header names it (`zoneName`), and the element's
 * title carries the full `formatDateTime`.
 */
export function formatListTime(ms: number, locale: string, now: number, timeZone: string = localTimeZone()): string {
  const day = calendarDay(ms, timeZone);
  const today = calendarDay(now, timeZone);
  const sameYear = day.slice(0, 4) === today.slice(0, 4);
  const date: Intl.DateTimeFormatOptions = day === today ? {} : sameYear ? { month: "short", day: "numeric" } : { year: "numeric", month: "short", day: "numeric" };
  return dateFormat(locale, { ...date, hour: "numeric", minute: "2-digit", timeZone }).format(ms);
}

/** The zone's short name ("GMT+9", "JST") when it is not the computer's, else null: where a list's header says which zone its times are in. */
export function zoneName(locale: string, timeZone: string, computerZone: string = localTimeZone()): string | null {
  if (timeZone === computerZone) return null;
  return dateFormat(locale, { timeZone, timeZoneName: "short" }).formatToParts(0).find((part) => part.type === "timeZoneName")?.value ?? timeZone;
}

/** A calendar date in the same style, for things with no time of day (an invitation's expiry). */
export function formatDate(ms: number, locale: string, timeZone?: string): string {
  return dateFormat(locale, { year: "numeric", month: "short", day: "numeric", ...(timeZone ? { timeZone } : {}) }).format(ms);
}
