import { getTimezonesForCountry } from "countries-and-timezones";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { z } from "zod";
import { zoneOfNumber } from "./number-zone";

/** "HH:MM", 00:00–24:00 (24:00: the end of the day). */
const LocalTime = z.string().regex(/^(?:[01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/, "HH:MM");

/**
 * The company's calling hours: the days of the week (0 Sunday … 6 Saturday)
 * and the local time window a number may be called in, in the callee's time.
 * null: no restriction.
 */
export const CallingHours = z
  .strictObject({
    days: z.array(z.number().int().min(0).max(6)).min(1).max(7),
    from: LocalTime,
    to: LocalTime,
  })
  .refine((h) => minutesOf(h.from) < minutesOf(h.to), { message: "from must be before to", path: ["to"] })
  .refine((h) => new Set(h.days).size === h.days.length, { message: "a day is listed twice", path: ["days"] });
export type CallingHours = z.infer<typeof CallingHours>;

export function minutesOf(time: string): number {
  const [h, m] = time.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * How a number's hours were judged: in its own zone (its country has one, or
 * its area code tells which), or in every zone of its country (strict).
 */
export type CallingHoursBasis = { kind: "own_zone"; zone: string } | { kind: "all_zones"; region: string | null };
export type CallingHoursVerdict = { ok: true; basis: CallingHoursBasis } | { ok: false; opensAt: number | null; basis: CallingHoursBasis };

/**
 * The IANA zones a country or region's numbers may ring in: those IANA's
 * zone.tab lists under it (a zone shared with other countries counts for its
 * primary one only, so Asia/Tokyo is Japan's and not also Australia's). A
 * region with no zone of its own (Guernsey, Jersey: Europe/London's) takes
 * the zones it shares.
 */
export function zonesOfRegion(region: string): string[] {
  const zones = getTimezonesForCountry(region) ?? [];
  const own = zones.filter((zone) => zone.countries[0] === region);
  return (own.length > 0 ? own : zones).map((zone) => zone.name);
}

/** The region libphonenumber gives the number (for NANP numbers the area code tells US from CA, PR…); null: none. */
export function regionOfNumber(e164: string): string | null {
  return parsePhoneNumberFromString(e164)?.country ?? null;
}

const weekdays: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The weekday and minute of the day an instant falls on in the zone. */
export function localWeekMinute(ms: number, timeZone: string): { day: number; minute: number } {
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const part of formatter(timeZone).formatToParts(ms)) {
    if (part.type === "weekday") day = weekdays[part.value] ?? 0;
    else if (part.type === "hour") hour = Number(part.value);
    else if (part.type === "minute") minute = Number(part.value);
  }
  return { day, minute: hour * 60 + minute };
}

function insideIn(hours: CallingHours, ms: number, zone: string): boolean {
  const local = localWeekMinute(ms, zone);
  return hours.days.includes(local.day) && local.minute >= minutesOf(hours.from) && local.minute < minutesOf(hours.to);
}

const step = 5 * 60_000;
const lookAhead = 8 * 24 * 3_600_000;

/** The zone the number's hours are judged in when it is known; otherwise every zone of its region. */
export function basisOf(e164: string): { basis: CallingHoursBasis; zones: string[] } {
  const own = zoneOfNumber(e164);
  if (own !== null) return { basis: { kind: "own_zone", zone: own }, zones: [own] };
  const region = regionOfNumber(e164);
  const zones = region === null ? [] : zonesOfRegion(region);
  if (zones.length === 1) return { basis: { kind: "own_zone", zone: zones[0]! }, zones };
  return { basis: { kind: "all_zones", region }, zones };
}

/**
 * May the number be called now? Judged in the number's own zone when its
 * country has one or its area code tells which; otherwise in each zone of
 * its country, callable only while every one of them is inside the hours
 * (nobody is called early or late, at the cost of a shorter window). A
 * number whose region is unknown is judged in none, so allowed. When
 * outside: the first 5-minute mark in the coming 8 days at which it opens,
 * or null when it never does (the zones never share the window).
 */
export function judgeCallingHours(hours: CallingHours | null, e164: string, now: number): CallingHoursVerdict {
  const { basis, zones } = basisOf(e164);
  if (hours === null) return { ok: true, basis };
  const inside = (ms: number) => zones.every((zone) => insideIn(hours, ms, zone));
  if (inside(now)) return { ok: true, basis };
  for (let at = Math.ceil(now / step) * step; at <= now + lookAhead; at += step) {
    if (inside(at)) return { ok: false, opensAt: at, basis };
  }
  return { ok: false, opensAt: null, basis };
}
