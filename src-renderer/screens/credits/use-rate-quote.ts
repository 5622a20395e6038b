import { useEffect, useState } from "react";
import type { RateQuote } from "../../../src-shared/server-api/credits";
import { useCoreQuery } from "../../query/core-query";
import { rememberQuote } from "./quote-memory";

export const quoteDebounceMs = 250;

export type QuoteState =
  | { status: "idle" }
  | { status: "loading"; number: string }
  | { status: "ready"; quote: RateQuote }
  | { status: "failed"; number: string; error: unknown };

/** The rate quote for the exact number typed, asked ~250 ms after the typing stops; an answer for another number is never shown. */
export function useRateQuote(e164: string | null): QuoteState {
  const [settled, setSettled] = useState<string | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(e164), e164 === null ? 0 : quoteDebounceMs);
    return () => clearTimeout(timer);
  }, [e164]);
  const asking = e164 !== null && settled === e164;
  // The dialer shows the failure in words ("rate unavailable") and the next keystroke asks again: no automatic retry.
  const query = useCoreQuery("quoteRate", { number: e164 ?? "" }, { enabled: asking, retry: false, placeholderData: undefined, staleTime: 0 });
  const quote = query.data;
  useEffect(() => {
    if (quote) rememberQuote(quote);
  }, [quote]);

  if (e164 === null) return { status: "idle" };
  if (!asking || query.isPending) return { status: "loading", number: e164 };
  if (query.isError) return { status: "failed", number: e164, error: query.error };
  return quote && quote.number === e164 ? { status: "ready", quote } : { status: "loading", number: e164 };
}
