import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { newestFirst, type HistorySort } from "../../../src-shared/api/areas/crm";
import { QueryState } from "../../components/ui/query-state";
import { useCoreQuery } from "../../query/core-query";
import { outcomeLabels } from "../history/call-outcome-text";
import { HistoryEntry } from "../history/history-entry";
import { HistoryHead } from "../history/history-head";
import { nextSort } from "../history/history-sort";
import { useHistoryPeople } from "../history/use-history-people";
import { useCallRecordings } from "../recording-player";

export interface CrmCallsProps {
  contactId?: string;
  dealId?: string;
  currency: string;
  timeZone: string;
  version: number;
}

/** A contact's or deal's calls as logged activities, from the local mirror: history's table, at most 200 rows (no virtual list). */
export function CrmCalls({ contactId, dealId, currency, timeZone, version }: CrmCallsProps) {
  const { t, i18n } = useTranslation();
  const [sort, setSort] = useState<HistorySort>(newestFirst);
  const [opened, setOpened] = useState<string | null>(null);
  const labels = useMemo(() => outcomeLabels(t), [t, i18n.language]); // eslint-disable-line react-hooks/exhaustive-deps -- t's words change with the language
  const query = useCoreQuery(
    "searchHistory",
    { query: "", limit: 200, totals: false, sort, outcomeLabels: labels, ...(contactId ? { contactId } : {}), ...(dealId ? { dealId } : {}) },
    { deps: [version] },
  );
  const people = useHistoryPeople();
  const calls = query.data?.calls ?? null;
  const recordings = useCallRecordings(calls);
  return (
    <section className="crm-calls" aria-label={t("crm.calls")}>
      <h3>{t("crm.calls")}</h3>
      <QueryState query={query} compact>
        {(reply) =>
          reply.calls.length === 0 ? (
            <p className="hint">{t("crm.noCalls")}</p>
          ) : (
            <div role="table" className="history-table crm-calls-table" aria-label={t("crm.calls")} data-admin={people.admin}>
              <HistoryHead sort={sort} madeBy={people.admin} timeZone={timeZone} onSort={(column) => setSort((now) => nextSort(now, column))} />
              <div role="rowgroup" data-testid="crm-calls">
                {reply.calls.map((call) => {
                  const isOpen = opened === call.id;
                  const detailsId = `crm-call-details-${call.id}`;
                  return (
                    <div key={call.id} className="history-item" data-testid="crm-call-row">
                      <HistoryEntry
                        call={call}
                        currency={currency}
                        timeZone={timeZone}
                        people={people}
                        recording={recordings.get(call.id)}
                        open={isOpen}
                        detailsId={detailsId}
                        onToggle={() => setOpened(isOpen ? null : call.id)}
                      />
                    </div>
                  );
                })}
              </div>
            </div>
          )
        }
      </QueryState>
    </section>
  );
}
