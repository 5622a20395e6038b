import { useEffect, useState } from "react";
import type { RateQuote } from "../../../src-shared/server-api/credits";
import { useApi } from "../../api-context";
import { rememberQuote } from "./quote-memory";

export const quoteDebounceMs = 250;

export type QuoteState =
  | { status: "idle" }
  | { status: "loading"; number: string }
  | { status: "ready"; quote: RateQuote }
  | { status: "failed"; number: string; error: unknown };

/** The rate quote for the exact number typed, asked ~250 ms after the typing stops; stale answers are dropped. */
export function useRateQuote(e164: string | null): QuoteState {
  const api = useApi();
  const [state, setState] = useState<QuoteState>({ status: "idle" });

  useEffect(() => {
    if (e164 === null) {
      setState({ status: "idle" });
      return;
    }
    let live = true;
    setState({ status: "loading", number: e164 });
    const timer = setTimeout(() => {
      api
        .quoteRate({ number: e164 })
        .then((quote) => {
          if (!live) return;
          rememberQuote(quote);
          setState({ status: "ready", quote });
        })
        .catch((error: unknown) => live && setState({ status: "failed", number: e164, error }));
    }, quoteDebounceMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, e164]);

  return state;
}
