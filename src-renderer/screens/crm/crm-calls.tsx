import { useTranslation } from "react-i18next";
import { QueryState } from "../../components/ui/query-state";
import { useCoreQuery } from "../../query/core-query";
import { HistoryRow } from "../history/history-row";
import { useCallRecordings } from "../recording-player";

export interface CrmCallsProps {
  contactId?: string;
  dealId?: string;
  currency: string;
  timeZone: string;
  version: number;
}

/** A contact's or deal's calls as logged activities (time, duration, cost, outcome, notes, recording), from the local mirror. */
export function CrmCalls({ contactId, dealId, currency, timeZone, version }: CrmCallsProps) {
  const { t } = useTranslation();
  const query = useCoreQuery("searchHistory", { query: "", limit: 200, totals: false, ...(contactId ? { contactId } : {}), ...(dealId ? { dealId } : {}) }, { deps: [version] });
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
            <ul data-testid="crm-calls">
              {reply.calls.map((call) => (
                <li key={call.id} data-testid="crm-call-row">
                  <HistoryRow call={call} currency={currency} timeZone={timeZone} recording={recordings.get(call.id)} />
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
    </section>
  );
}
