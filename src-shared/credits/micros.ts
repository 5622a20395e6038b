import { CallerError } from "../errors";

/** One US dollar in micro-dollars, the unit of every amount. */
export const microsPerDollar = 1_000_000;

/** Money crosses into the credit rules only as safe integers; anything else is a caller's bug. */
export function assertMicros(value: number, what: string): number {
  if (!Number.isSafeInteger(value)) throw new CallerError("bad_request", `${what} must be an integer number of micro-dollars, got ${String(value)}`);
  return value;
}

export function assertNonNegativeMicros(value: number, what: string): number {
  assertMicros(value, what);
  if (value < 0) throw new CallerError("bad_request", `${what} must not be negative, got ${value}`);
  return value;
}

/** Whole seconds (billed durations, caps): a non-negative safe integer. */
export function assertWholeSeconds(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new CallerError("bad_request", `${what} must be a whole number of seconds ≥ 0, got ${String(value)}`);
  return value;
}

const dollarsPattern = /^(-?)(\d{1,9})(?:\.(\d{1,6}))?$/;

export type DollarsParse = { ok: true; micros: number } | { ok: false; problem: "not_a_number" | "negative" };

/**
 * Reads "0.0125" as 12 500 micro-dollars, exactly (string arithmetic, no
 * floating point). At most 9 whole digits and 6 decimals: finer than a
 * micro-dollar is refused rather than rounded.
 */
export function parseDollars(text: string): DollarsParse {
  const match = dollarsPattern.exec(text);
  if (!match) return { ok: false, problem: "not_a_number" };
  const [, sign, whole = "0", fraction = ""] = match;
  const micros = Number(whole) * microsPerDollar + Number(fraction.padEnd(6, "0"));
  if (sign === "-" && micros !== 0) return { ok: false, problem: "negative" };
  return { ok: true, micros };
}
