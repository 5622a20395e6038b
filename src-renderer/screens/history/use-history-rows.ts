import { useCallback, useEffect, useRef, useState } from "react";
import type { HistoryCall } from "../../../src-shared/api/contract";
import type { HistoryFilter, HistorySort, HistoryTotals, OutcomeLabels } from "../../../src-shared/api/areas/crm";
import { useApi } from "../../api-context";
import { markStart } from "../../start/start-marks";

export const pageSize = 100;

export interface HistoryRows {
  totals: HistoryTotals | null;
  /** The row at an index, once its page has arrived. */
  row(index: number): HistoryCall | undefined;
  /** Asks for the pages that hold these rows (each page once per filter). */
  need(pages: readonly number[]): void;
  error: unknown;
}

/** How the rows are read: their order, and the outcome names the search and the outcome sort use. */
export interface HistoryReadingOptions {
  sort: HistorySort;
  outcomeLabels: OutcomeLabels;
}

/**
 * Rows of the filtered history, fetched a page at a time as the list scrolls
 * (offset paging: a jump to row 80,000 fetches that page only). A new filter,
 * order or language, or a finished sync starts over from the totals.
 */
export function useHistoryRows(filter: HistoryFilter, reading: HistoryReadingOptions, version: number): HistoryRows {
  const api = useApi();
  const [totals, setTotals] = useState<HistoryTotals | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [, setTick] = useState(0);
  const pages = useRef(new Map<number, HistoryCall[]>());
  // The previous filter's or sync's rows, shown until the fresh ones arrive (no flicker after each sync).
  const stale = useRef(new Map<number, HistoryCall[]>());
  const asked = useRef(new Set<number>());
  const generation = useRef(0);
  const key = JSON.stringify({ ...filter, ...reading });

  useEffect(() => {
    generation.current += 1;
    const mine = generation.current;
    const parsed = JSON.parse(key) as HistoryFilter & HistoryReadingOptions;
    asked.current = new Set([0]);
    stale.current = pages.current;
    pages.current = new Map();
    api
      .searchHistory({ ...parsed, limit: pageSize, offset: 0, totals: true })
      .then((reply) => {
        if (mine !== generation.current) return;
        markStart("mirror-read");
        pages.current.set(0, reply.calls);
        setTotals(reply.totals);
        setError(null);
        setTick((n) => n + 1);
      })
      .catch((e: unknown) => mine === generation.current && setError(e));
  }, [api, key, version]);

  const need = useCallback(
    (wanted: readonly number[]) => {
      const mine = generation.current;
      for (const page of wanted) {
        if (asked.current.has(page)) continue;
        asked.current.add(page);
        const parsed = JSON.parse(key) as HistoryFilter & HistoryReadingOptions;
        api
          .searchHistory({ ...parsed, limit: pageSize, offset: page * pageSize, totals: false })
          .then((reply) => {
            if (mine !== generation.current) return;
            pages.current.set(page, reply.calls);
            setTick((n) => n + 1);
          })
          .catch((e: unknown) => {
            asked.current.delete(page);
            setError(e);
          });
      }
    },
    [api, key],
  );

  const row = useCallback((index: number) => {
    const page = Math.floor(index / pageSize);
    return (pages.current.get(page) ?? stale.current.get(page))?.[index % pageSize];
  }, []);
  return { totals, row, need, error };
}
