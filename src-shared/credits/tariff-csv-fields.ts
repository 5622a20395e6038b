import { parseDollars } from "./micros";
import { isKnownIncrement, isTariffPrefix, knownIncrementSeconds, maxConnectionFeeMicros, maxRatePerMinuteMicros, tariffKinds } from "./tariff";
import type { BillingIncrements, TariffKind } from "./tariff";

/** Why a tariff CSV line was not imported; the UI translates the code, `reason` says it in English. */
export const tariffRejectCodes = [
  "bad_header",
  "bad_quoting",
  "wrong_column_count",
  "bad_prefix",
  "bad_destination",
  "bad_kind",
  "bad_amount",
  "negative_amount",
  "unknown_increment",
  "bad_date",
  "bad_period",
  "duplicate",
  "overlapping_period",
] as const;
export type TariffRejectCode = (typeof tariffRejectCodes)[number];

export type Field<T> = { ok: true; value: T } | { ok: false; code: TariffRejectCode; reason: string };

const fail = (code: TariffRejectCode, reason: string): { ok: false; code: TariffRejectCode; reason: string } => ({ ok: false, code, reason });

export function readPrefix(text: string): Field<string> {
  const digits = text.startsWith("+") ? text.slice(1) : text;
  if (!isTariffPrefix(digits)) return fail("bad_prefix", `bad prefix "${text}": 1–15 digits of an E.164 number, not starting with 0`);
  return { ok: true, value: digits };
}

export function readDestination(text: string): Field<string> {
  if (text === "") return fail("bad_destination", "destination name is empty");
  if (text.length > 100) return fail("bad_destination", "destination name is longer than 100 characters");
  return { ok: true, value: text };
}

export function readKind(text: string): Field<TariffKind> {
  const kind = tariffKinds.find((k) => k === text.toLowerCase());
  return kind ? { ok: true, value: kind } : fail("bad_kind", `unknown kind "${text}": use ${tariffKinds.join(", ")}`);
}

/** `optional`: an empty cell means $0 (connection fee). */
export function readAmount(text: string, column: string, max: number, optional: boolean): Field<number> {
  if (text === "" && optional) return { ok: true, value: 0 };
  const parsed = parseDollars(text);
  if (!parsed.ok) {
    return parsed.problem === "negative"
      ? fail("negative_amount", `negative ${column} "${text}"`)
      : fail("bad_amount", `${column} "${text}" is not an amount in dollars such as 0.0125 (at most 6 decimals)`);
  }
  if (parsed.micros > max) return fail("bad_amount", `${column} "${text}" is above the limit of $${max / 1_000_000}`);
  return { ok: true, value: parsed.micros };
}

export const readRate = (text: string): Field<number> => readAmount(text, "rate_per_minute_usd", maxRatePerMinuteMicros, false);
export const readFee = (text: string): Field<number> => readAmount(text, "connection_fee_usd", maxConnectionFeeMicros, true);

const incrementsPattern = /^(\d{1,4})\s*\/\s*(\d{1,4})$/;

export function readIncrements(text: string): Field<BillingIncrements> {
  const match = incrementsPattern.exec(text);
  const first = Number(match?.[1]);
  const next = Number(match?.[2]);
  if (!match || !isKnownIncrement(first) || !isKnownIncrement(next)) {
    return fail("unknown_increment", `unknown increment "${text}": write first/next in seconds, each one of ${knownIncrementSeconds.join(", ")} (e.g. 60/60, 30/6, 1/1)`);
  }
  return { ok: true, value: { first, next } };
}

const datePattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?Z)?$/;

/** "2026-12-01" (00:00 UTC) or "2026-12-01T09:30:00Z"; a time must be UTC, marked Z. */
export function readUtcDate(text: string, column: string): Field<number> {
  const match = datePattern.exec(text);
  if (match) {
    const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
    const ms = Date.UTC(year, month - 1, day, hour, minute, second);
    const back = new Date(ms);
    if (year >= 1970 && back.getUTCDate() === day && back.getUTCMonth() === month - 1 && hour < 24 && minute < 60 && second < 60) return { ok: true, value: ms };
  }
  return fail("bad_date", `${column} "${text}" is not a date such as 2026-12-01 or 2026-12-01T09:30:00Z`);
}
