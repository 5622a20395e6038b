import { defaultRangeExtractor, observeElementRect, useVirtualizer, type Range } from "@tanstack/react-virtual";
import { PhoneOutgoing, SearchX } from "lucide-react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { HistoryCall, SyncState } from "../../../src-shared/api/contract";
import { newestFirst, type HistoryFilter, type HistorySort } from "../../../src-shared/api/areas/crm";
import { formatDuration, formatMoney } from "../../../src-shared/format";
import { EmptyState } from "../../components/ui/empty-state";
import { describeError } from "../../i18n/i18n";
import { useCallRecordings } from "../recording-player";
import { CallEditor } from "./call-editor";
import { outcomeLabels } from "./call-outcome-text";
import { HistoryFilters } from "./history-filters";
import { HistoryHead } from "./history-head";
import { HistoryEntry } from "./history-entry";
import { nextSort, type HistoryColumn } from "./history-sort";
import { useHistoryPeople } from "./use-history-people";
import { pageSize, useHistoryRows } from "./use-history-rows";

/** A closed row's height: the list knows where row 80,000 is without laying out the rows before it. */
export const historyRowHeight = 56;
const defaultViewport = 480;
/** Before it is measured, an opened row's guess: the row, the player with its waveform, notes. */
const detailsGuess = 200;

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
 * The local history, offline too, as a table: sortable columns, a search box and filters, totals,
 * and rows rendered only while in view (@tanstack/react-virtual), fetched a page at a time, so
 * 100,000 calls cost what 20 do. A row opens below itself with the recording player.
 */
export function HistoryView({ currency, timeZone, sync, onContact, onDeal, initialHeight = defaultViewport }: HistoryViewProps) {
  const { t, i18n } = useTranslation();
  const [filter, setFilter] = useState<HistoryFilter>({ query: "" });
  const [sort, setSort] = useState<HistorySort>(newestFirst);
  const viewport = useRef<HTMLDivElement>(null);
  const [editing, setEditing] = useState<HistoryCall | null>(null);
  const [opened, setOpened] = useState<{ id: string; index: number } | null>(null);
  // A local edit changes no sync seq: count saves into the rows' version.
  const [saves, setSaves] = useState(0);
  const labels = useMemo(() => outcomeLabels(t), [t, i18n.language]); // eslint-disable-line react-hooks/exhaustive-deps -- t's words change with the language
  const rows = useHistoryRows(filter, { sort, outcomeLabels: labels }, (sync?.lastSeq ?? 0) + saves);
  const people = useHistoryPeople();
  const count = rows.totals?.count ?? 0;

  // The opened row stays rendered while scrolled away, so its recording keeps playing.
  const openedIndex = opened?.index ?? null;
  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      return openedIndex === null || openedIndex >= range.count || indexes.includes(openedIndex) ? indexes : [...indexes, openedIndex].sort((a, b) => a - b);
    },
    [openedIndex],
  );
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => viewport.current,
    estimateSize: (index) => (index === openedIndex ? historyRowHeight + detailsGuess : historyRowHeight),
    overscan: 6,
    rangeExtractor,
    initialRect: { width: 0, height: initialHeight },
    // Laid out but not yet sized (or in jsdom, which lays nothing out): a viewport's worth of rows, not none.
    observeElementRect: (instance, report) => observeElementRect(instance, (rect) => report(rect.height > 0 ? rect : { width: rect.width, height: initialHeight })),
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? -1;
  const pages = last < 0 ? "" : [...new Set(items.map((item) => Math.floor(item.index / pageSize)))].join(",");

  useEffect(() => {
    if (pages !== "") rows.need(pages.split(",").map(Number));
  }, [pages, rows]);

  useEffect(() => {
    // A new search or order starts at the top, with every row closed.
    viewport.current?.scrollTo?.({ top: 0 });
    setOpened(null);
  }, [filter, sort]);

  useEffect(() => {
    // An opened or closed row changes its height: positions below it move.
    virtualizer.measure();
  }, [openedIndex, virtualizer]);

  // The other call of a transfer chain, when its page is loaded (calls of a chain are minutes apart, so it usually is).
  const openCall = (callId: string): void => {
    for (let index = 0; index < count; index += 1) {
      if (rows.row(index)?.id !== callId) continue;
      setOpened({ id: callId, index });
      virtualizer.scrollToIndex(index, { align: "start" });
      return;
    }
  };

  const visibleCalls: HistoryCall[] = [];
  for (let index = first; index <= last; index += 1) {
    const call = rows.row(index);
    if (call) visibleCalls.push(call);
  }
  const visibleKey = visibleCalls.map((c) => c.id).join(",");
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by the ids, not the array's identity
  const recordingCalls = useMemo(() => visibleCalls, [visibleKey]);
  const recordings = useCallRecordings(recordingCalls);
  const seenOutcomes = useMemo(() => [...new Set(visibleCalls.flatMap((c) => (c.outcome ? [c.outcome] : [])))].sort(), [visibleKey]); // eslint-disable-line react-hooks/exhaustive-deps

  const totals = rows.totals;
  return (
    <section className="history" aria-labelledby="history-title">
      <h2 id="history-title">{t("history.title")}</h2>
      <HistoryFilters filter={filter} onChange={setFilter} seenOutcomes={filter.outcome ? [...new Set([filter.outcome, ...seenOutcomes])] : seenOutcomes} />
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
      <div
        className="history-viewport history-table"
        ref={viewport}
        role="table"
        aria-label={t("historyTable.label")}
        aria-rowcount={count + 1}
        data-testid="history-viewport"
        data-empty={count === 0}
        data-admin={people.admin}
      >
        <HistoryHead sort={sort} madeBy={people.admin} timeZone={timeZone} onSort={(column: HistoryColumn) => setSort((now) => nextSort(now, column))} />
        <div role="rowgroup" className="history-body" data-testid="history-list" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const call = rows.row(item.index);
            const isOpen = call !== undefined && opened?.id === call.id;
            const detailsId = `history-details-${call?.id ?? item.index}`;
            return (
              <div
                key={call?.id ?? `row-${item.index}`}
                className="history-item"
                data-testid="history-item"
                data-index={item.index}
                ref={isOpen ? virtualizer.measureElement : undefined}
                style={{ transform: `translateY(${item.start}px)`, ...(isOpen ? {} : { height: historyRowHeight }) }}
              >
                {call ? (
                  <HistoryEntry
                    call={call}
                    currency={currency}
                    timeZone={timeZone}
                    people={people}
                    recording={recordings.get(call.id)}
                    open={isOpen}
                    detailsId={detailsId}
                    onToggle={() => setOpened(isOpen ? null : { id: call.id, index: item.index })}
                    rowIndex={item.index + 2}
                    onContact={onContact}
                    onDeal={onDeal}
                    onEdit={setEditing}
                    onOpenCall={openCall}
                  />
                ) : (
                  <div role="row" className="history-row history-grid" aria-rowindex={item.index + 2}>
                    <div role="cell" className="hint">
                      {t("historyTable.loadingRow")}
                    </div>
                  </div>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
