import type { RateQuote } from "../../../src-shared/server-api/credits";

/**
 * The last quote the dialer fetched, kept for the call screen: a quote asked
 * after the call starts would already see the call's own reservation.
 */
let last: RateQuote | null = null;

export function rememberQuote(quote: RateQuote): void {
  last = quote;
}

export function rememberedQuote(number: string): RateQuote | null {
  return last !== null && last.number === number ? last : null;
}
