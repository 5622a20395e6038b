import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { HistoryCall, SyncState } from "../../src-shared/api/contract";
import { formatDateTime, formatDuration, formatMoney } from "../../src-shared/format";
import { useApi } from "../api-context";
import { describeError } from "../i18n/i18n";

/** The local copy of the user's calls: readable offline, refreshed after each sync. */
export function History({ currency, timeZone, sync }: { currency: string; timeZone: string; sync: SyncState | null }) {
  const api = useApi();
  const { t, i18n } = useTranslation();
  const [calls, setCalls] = useState<HistoryCall[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api
      .listHistory({ limit: 100 })
      .then((reply) => live && setCalls(reply.calls))
      .catch((e: unknown) => live && setError(describeError(t, e)));
    return () => {
      live = false;
    };
  }, [api, t, sync?.lastSeq]);

  return (
    <section className="history" aria-labelledby="history-title">
      <h2 id="history-title">{t("history.title")}</h2>
      {error && <p role="alert" className="error">{error}</p>}
      {calls?.length === 0 && <p data-testid="history-empty" className="hint">{t("history.empty")}</p>}
      <ul data-testid="history-list">
        {calls?.map((call) => (
          <li key={call.id}>
            <span className="number">{call.number}</span>
            <span>{t(`history.${call.direction}`)}</span>
            <time dateTime={new Date(call.startedAt).toISOString()}>{formatDateTime(call.startedAt, i18n.language, timeZone)}</time>
            <span data-testid="history-duration">{formatDuration(call.billedSeconds, i18n.language)}</span>
            <span data-testid="history-disposition" data-disposition={call.disposition}>
              {dispositionText(call.disposition, t)}
            </span>
            {call.costMicros !== null && <span>{formatMoney(call.costMicros, currency, i18n.language)}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The server's dispositions: answered, busy, no_answer, failed, cancelled, refused:<reason>. */
function dispositionText(disposition: string, t: (key: string, options?: Record<string, unknown>) => string): string {
  const [kind, reason] = disposition.split(":", 2);
  if (kind === "refused" && reason) return `${t("disposition.refused")}: ${t(`callFailure.${reason}`, { defaultValue: reason })}`;
  return t(`disposition.${kind ?? ""}`, { defaultValue: disposition });
}
