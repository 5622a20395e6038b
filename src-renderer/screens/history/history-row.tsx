import { useTranslation } from "react-i18next";
import type { HistoryCall } from "../../../src-shared/api/contract";
import { formatDateTime, formatDuration, formatMoney } from "../../../src-shared/format";
import type { RecordingSummary } from "../../../src-shared/server-api/recordings";
import { CallRecording } from "../recording-player";

export interface HistoryRowProps {
  call: HistoryCall;
  currency: string;
  timeZone: string;
  recording: RecordingSummary | undefined;
  onContact?: ((id: string) => void) | undefined;
  onDeal?: ((id: string) => void) | undefined;
  /** Opens the outcome/notes editor for this call. */
  onEdit?: ((call: HistoryCall) => void) | undefined;
}

/** One call: what the old list showed (number, time, duration, disposition, cost, recording) plus contact, deal, outcome and notes. */
export function HistoryRow({ call, currency, timeZone, recording, onContact, onDeal, onEdit }: HistoryRowProps) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <div className="history-row-main">
        <span className="number">{call.number}</span>
        <span className="call-party">
          {call.contactName && call.contactId && onContact ? (
            <button type="button" className="link" data-testid="history-contact" onClick={() => onContact(call.contactId!)}>
              {call.contactName}
            </button>
          ) : (
            <span data-testid="history-contact">{call.contactName ?? ""}</span>
          )}
          {call.dealTitle && call.dealId && onDeal ? (
            <button type="button" className="link" data-testid="history-deal" onClick={() => onDeal(call.dealId!)}>
              {call.dealTitle}
            </button>
          ) : (
            call.dealTitle && <span data-testid="history-deal">{call.dealTitle}</span>
          )}
        </span>
        <span>{t(`history.${call.direction}`)}</span>
        <time dateTime={new Date(call.startedAt).toISOString()}>{formatDateTime(call.startedAt, i18n.language, timeZone)}</time>
        <span data-testid="history-duration">{formatDuration(call.billedSeconds, i18n.language)}</span>
        <span data-testid="history-disposition" data-disposition={call.disposition}>
          {dispositionText(call.disposition, t)}
        </span>
        <span data-testid="history-cost" title={t("callCost.historyCost")}>
          {call.costMicros === null ? "—" : formatMoney(call.costMicros, currency, i18n.language)}
        </span>
      </div>
      <div className="history-row-more">
        {call.outcome && <span className="outcome" data-testid="history-outcome">{call.outcome}</span>}
        {call.notes && <span className="notes" data-testid="history-notes" title={call.notes}>{call.notes}</span>}
        <CallRecording recording={recording} />
        {onEdit && (
          <button type="button" className="link" data-testid="history-edit" onClick={() => onEdit(call)}>
            {t("crm.edit")}
          </button>
        )}
      </div>
    </>
  );
}

/** The server's dispositions (`callDispositions` in src-shared/server-api/calls.ts): answered, busy, no_answer, declined, failed, cancelled, interrupted, refused:<reason>. */
export function dispositionText(disposition: string, t: (key: string, options?: Record<string, unknown>) => string): string {
  const [kind, reason] = disposition.split(":", 2);
  if (kind === "refused" && reason) return `${t("disposition.refused")}: ${t(`callFailure.${reason}`, { defaultValue: reason })}`;
  return t(`disposition.${kind ?? ""}`, { defaultValue: disposition });
}
