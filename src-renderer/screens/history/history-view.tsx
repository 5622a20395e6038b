import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { HistoryCall, SyncState } from "../../../src-shared/api/contract";
import type { HistoryFilter } from "../../../src-shared/api/areas/crm";
import { formatDuration, formatMoney } from "../../../src-shared/format";
import { describeError } from "../../i18n/i18n";
import { EmptyState } from "../../components/ui/empty-state";
import { PhoneOutgoing, SearchX } from "lucide-react";
import { useCallRecordings } from "../recording-player";
import { CallEditor } from "./call-editor";
import { HistoryFilters } from "./history-filters";
import { HistoryRow } from "./history-row";
import { useHistoryRows } from "./use-history-rows";
import { pagesOf, visibleRows } from "./virtual-window";

/** Every row is this tall: the list only needs the scroll offset to know which rows are in view. */
export const historyRowHeight = 76;
const defaultViewport = 480;

export interface HistoryViewProps {
  currency: string;
  timeZone: string;
  sync: SyncState | null;
  onContact?: (id: string) => void;
  onDeal?: (id: string) => void;
  /** Viewport height before the first layout (tests in jsdom, which lays nothing out). */
  initialHeight?: number;
}

/**
 * The local history, offline too: a search box, filters, totals, and a list
 * that renders only the rows in view (fixed row height + scroll offset), so
 * 100,000 calls cost what 20 do.
 */
export function HistoryView({ currency, timeZone, sync, onContact, onDeal, initialHeight = defaultViewport }: HistoryViewProps) {
  const { t, i18n } = useTranslation();
  const [filter, setFilter] = useState<HistoryFilter>({ query: "" });
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(initialHeight);
  const viewport = useRef<HTMLDivElement>(null);
  const [editing, setEditing] = useState<HistoryCall | null>(null);
  // A local edit changes no sync seq: count saves into the rows' version.
  const [saves, setSaves] = useState(0);
  const rows = useHistoryRows(filter, (sync?.lastSeq ?? 0) + saves);
  const count = rows.totals?.count ?? 0;
  const range = visibleRows(scrollTop, height, historyRowHeight, count);
  const pages = pagesOf(range, 100).join(",");

  useEffect(() => {
    if (pages !== "") rows.need(pages.split(",").map(Number));
  }, [pages, rows]);

  useEffect(() => {
    const element = viewport.current;
    if (!element || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => element.clientHeight > 0 && setHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    // A new search starts at the top.
    viewport.current?.scrollTo?.({ top: 0 });
    setScrollTop(0);
  }, [filter]);

  const shown: { index: number; call: HistoryCall | undefined }[] = [];
  for (let index = range.start; index < range.end; index += 1) shown.push({ index, call: rows.row(index) });
  const visibleCalls = shown.flatMap((s) => (s.call ? [s.call] : []));
  const visibleKey = visibleCalls.map((c) => c.id).join(",");
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by the ids, not the array's identity
  const recordingCalls = useMemo(() => visibleCalls, [visibleKey]);
  const recordings = useCallRecordings(recordingCalls);
  const outcomes = useMemo(() => [...new Set(visibleCalls.flatMap((c) => (c.outcome ? [c.outcome] : [])))].sort(), [visibleKey]); // eslint-disable-line react-hooks/exhaustive-deps

  const totals = rows.totals;
  return (
    <section className="history" aria-labelledby="history-title">
      <h2 id="history-title">{t("history.title")}</h2>
      <HistoryFilters filter={filter} onChange={setFilter} outcomes={filter.outcome ? [...new Set([filter.outcome, ...outcomes])] : outcomes} />
      {rows.error !== null && <p role="alert" className="error">{describeError(t, rows.error)}</p>}
      {editing && (
        <CallEditor
          key={editing.id}
          call={editing}
          onDone={(saved) => {
            setEditing(null);
            if (saved) setSaves((n) => n + 1);
          }}
        />
      )}
      {totals && (
        <p className="history-totals" data-testid="history-totals" data-count={totals.count}>
          {t("crm.totals", { count: totals.count, minutes: formatDuration(totals.seconds, i18n.language), cost: formatMoney(totals.costMicros, currency, i18n.language) })}
        </p>
      )}
      {totals?.count === 0 &&
        (filter.query === "" && Object.keys(filter).length === 1 ? (
          <EmptyState testId="history-empty" icon={<PhoneOutgoing size={20} aria-hidden="true" />} title={t("history.empty")} />
        ) : (
          <EmptyState icon={<SearchX size={20} aria-hidden="true" />} title={t("crm.noMatches")} />
        ))}
      <div className="history-viewport" ref={viewport} data-testid="history-viewport" data-empty={count === 0} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        <ul data-testid="history-list" style={{ height: count * historyRowHeight }}>
          {shown.map(({ index, call }) => (
            <li key={call?.id ?? `row-${index}`} data-index={index} style={{ top: index * historyRowHeight, height: historyRowHeight }}>
              {call ? <HistoryRow call={call} currency={currency} timeZone={timeZone} recording={recordings.get(call.id)} onContact={onContact} onDeal={onDeal} onEdit={setEditing} /> : <span className="hint">{t("crm.loading")}</span>}
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
