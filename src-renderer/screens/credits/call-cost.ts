import type { RateQuote } from "../../../src-shared/server-api/credits";
import { callCostMicros, type CostRow } from "../../../src-shared/credits/cost";

/** How long before the cut the call screen warns. */
export const cutWarningSeconds = 30;

export type CallLimitReason = Exclude<RateQuote["limitedBy"], "no_rate">;

/** The quote's tariff row, or null when no rate covers the number. */
export function quoteRow(quote: RateQuote): CostRow | null {
  if (quote.ratePerMinuteMicros === null || quote.connectionFeeMicros === null || quote.increments === null) return null;
  return { ratePerMinuteMicros: quote.ratePerMinuteMicros, connectionFeeMicros: quote.connectionFeeMicros, increments: quote.increments };
}

/** Whole seconds since answer as the PBX bills them: the first increment is due the moment the call connects. */
export function connectedSeconds(connectedAt: number, now: number): number {
  return Math.max(1, Math.ceil((now - connectedAt) / 1000));
}

/** What the call has cost so far, or null without a rate. */
export function costSoFarMicros(quote: RateQuote, connectedAt: number, now: number): number | null {
  const row = quoteRow(quote);
  return row === null ? null : callCostMicros(connectedSeconds(connectedAt, now), row);
}

export interface CutWarning {
  secondsLeft: number;
  limitedBy: CallLimitReason;
}

/** From 30 s before the quote's maximum duration (counted from answer) until the cut: how long is left and why. */
export function cutWarning(quote: RateQuote, connectedAt: number, now: number): CutWarning | null {
  if (quote.limitedBy === "no_rate" || quote.maxSeconds <= 0) return null;
  const elapsed = Math.max(0, Math.floor((now - connectedAt) / 1000));
  const secondsLeft = quote.maxSeconds - elapsed;
  if (secondsLeft > cutWarningSeconds) return null;
  return { secondsLeft: Math.max(0, secondsLeft), limitedBy: quote.limitedBy };
}

/** Slack for the PBX's cut against the app's clock: the BYE arrives a moment after L()'s limit. */
const cutSlackSeconds = 2;

/**
 * Why the PBX ended a call the other side seemed to hang up: it lasted the
 * quote's maximum (Dial's L() cut it), so it was the limit, not the person.
 */
export function cutBy(quote: RateQuote | null, connectedAt: number | null, endedAt: number): CallLimitReason | null {
  if (quote === null || connectedAt === null || quote.limitedBy === "no_rate" || quote.maxSeconds <= 0) return null;
  return (endedAt - connectedAt) / 1000 >= quote.maxSeconds - cutSlackSeconds ? quote.limitedBy : null;
}

/** Whole minutes the balance buys at this rate, as the dialer shows it. */
export function minutesAvailable(quote: RateQuote): number {
  return Math.floor(quote.maxSeconds / 60);
}
