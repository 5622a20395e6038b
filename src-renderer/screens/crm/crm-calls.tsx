import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { HistoryCall } from "../../../src-shared/api/contract";
import { useApi } from "../../api-context";
import { describeError } from "../../i18n/i18n";
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
  const api = useApi();
  const { t } = useTranslation();
  const [calls, setCalls] = useState<HistoryCall[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const recordings = useCallRecordings(calls);
  useEffect(() => {
    let live = true;
    api
      .searchHistory({ query: "", limit: 200, totals: false, ...(contactId ? { contactId } : {}), ...(dealId ? { dealId } : {}) })
      .then((reply) => live && setCalls(reply.calls))
      .catch((e: unknown) => live && setError(describeError(t, e)));
    return () => {
      live = false;
    };
  }, [api, t, contactId, dealId, version]);
  return (
    <section className="crm-calls" aria-label={t("crm.calls")}>
      <h3>{t("crm.calls")}</h3>
      {error && <p role="alert" className="error">{error}</p>}
      {calls?.length === 0 && <p className="hint">{t("crm.noCalls")}</p>}
      <ul data-testid="crm-calls">
        {calls?.map((call) => (
          <li key={call.id} data-testid="crm-call-row">
            <HistoryRow call={call} currency={currency} timeZone={timeZone} recording={recordings.get(call.id)} />
          </li>
        ))}
      </ul>
    </section>
  );
}
