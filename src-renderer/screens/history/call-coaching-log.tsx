import { useTranslation } from "react-i18next";
import { formatDateTime, formatDuration } from "../../../src-shared/format";
import type { CoachingLogEntry } from "../../../src-shared/server-api/coaching";
import { useCoreQuery } from "../../query/core-query";

/**
 * Who coached this call (admins only: the server answers a user about their
 * own calls, but the log is an admin's tool): listened, whispered or barged,
 * when, and for how long. Nothing shows for a call nobody coached.
 */
export function CallCoachingLog({ callId, timeZone }: { callId: string; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const log = useCoreQuery("callCoachingLog", { callId }, { staleTime: 30_000, retry: 1 });
  if (log.isError) return <p className="hint" data-testid="history-coaching-error">{t("historyChain.coachingUnavailable")}</p>;
  const entries = log.data?.entries ?? [];
  if (entries.length === 0) return null;
  const line = (entry: CoachingLogEntry): string => {
    if (entry.joinedAt === null) return t("historyChain.coachNeverJoined", { name: entry.adminName, mode: t(`historyChain.coachAskModes.${entry.mode}`), at: formatDateTime(entry.createdAt, i18n.language, timeZone) });
    const mode = t(`historyChain.coachModes.${entry.mode}`);
    const at = formatDateTime(entry.joinedAt, i18n.language, timeZone);
    if (entry.leftAt == null) return t("historyChain.coachLineOngoing", { name: entry.adminName, mode, at });
    return t("historyChain.coachLine", { name: entry.adminName, mode, at, duration: formatDuration(Math.max(0, Math.round((entry.leftAt - entry.joinedAt) / 1000)), i18n.language) });
  };
  return (
    <section className="history-coaching" aria-label={t("historyChain.coaching")} data-testid="history-coaching">
      <h4>{t("historyChain.coaching")}</h4>
      <ul>
        {[...entries].reverse().map((entry) => (
          <li key={entry.id} data-testid="history-coaching-entry" data-mode={entry.mode}>
            {line(entry)}
          </li>
        ))}
      </ul>
    </section>
  );
}
