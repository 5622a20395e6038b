import { AudioLines, ChevronDown, ChevronUp, Phone, PhoneIncoming, PhoneMissed, PhoneOutgoing } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { HistoryCall } from "../../../src-shared/api/contract";
import { formatDateTime, formatDuration, formatListTime, formatMoney } from "../../../src-shared/format";
import { formatForCountry } from "../../../src-shared/phone/normalize";
import type { RecordingSummary } from "../../../src-shared/server-api/recordings";
import { IconButton } from "../../components/ui/button";
import { callOutcomeText } from "./call-outcome-text";

export interface HistoryRowProps {
  call: HistoryCall;
  currency: string;
  timeZone: string;
  /** The company's country: its numbers read national style, every other international. */
  country: string;
  recording: RecordingSummary | undefined;
  /** Who placed the call, for an admin's table; undefined: no such column. */
  madeBy?: string | undefined;
  expanded: boolean;
  /** The id of the details row this row opens (aria-controls). */
  detailsId: string;
  onToggle: () => void;
  /** The row's place in the whole list (1 is the header), where the table renders only some rows. */
  rowIndex?: number | undefined;
  onContact?: ((id: string) => void) | undefined;
  /** Dials the call's number again; absent where no phone can dial. */
  onCallBack?: ((call: HistoryCall) => void) | undefined;
}

type DirectionKind = "outbound" | "inbound" | "missed";
const directionIcon = { outbound: PhoneOutgoing, inbound: PhoneIncoming, missed: PhoneMissed } as const;

export const directionOf = (call: Pick<HistoryCall, "direction" | "disposition">): DirectionKind =>
  call.direction === "inbound" && call.disposition !== "answered" ? "missed" : call.direction;

/** One call as a table row: direction and time, who, duration, cost, outcome, (who made it), call back and details. */
export function HistoryRow({ call, currency, timeZone, country, recording, madeBy, expanded, detailsId, onToggle, rowIndex, onContact, onCallBack }: HistoryRowProps) {
  const { t, i18n } = useTranslation();
  const direction = directionOf(call);
  const Icon = directionIcon[direction];
  const number = formatForCountry(call.number, country);
  const outcome = callOutcomeText(t, call);
  const party = call.contactName ?? number;
  return (
    <div role="row" className="history-row history-grid" data-testid="history-row" data-call-id={call.id} data-expanded={expanded} aria-rowindex={rowIndex}>
      <div role="cell" data-col="time" className="history-when">
        <span role="img" className="history-direction" data-direction={direction} aria-label={t(`historyTable.direction.${direction}`)}>
          <Icon size={16} aria-hidden="true" />
        </span>
        <time dateTime={new Date(call.startedAt).toISOString()} title={formatDateTime(call.startedAt, i18n.language, timeZone)}>
          {formatListTime(call.startedAt, i18n.language, Date.now(), timeZone)}
        </time>
      </div>
      <div role="cell" data-col="party" className="history-party">
        {call.contactName ? (
          call.contactId && onContact ? (
            <button type="button" className="link" data-testid="history-contact" onClick={() => onContact(call.contactId!)}>
              {call.contactName}
            </button>
          ) : (
            <span className="history-name" data-testid="history-contact">
              {call.contactName}
            </span>
          )
        ) : null}
        <span className={call.contactName ? "number secondary" : "number"} data-testid="history-number" data-e164={call.number}>
          {number}
        </span>
        {call.transferredBy != null && (
          <span className="history-transferred-by secondary" data-testid="history-transferred-by">
            {t("transfer.transferredBy", { name: call.transferredBy })}
          </span>
        )}
      </div>
      <div role="cell" data-col="duration" className="ui-numeric" data-testid="history-duration">
        {formatDuration(call.billedSeconds, i18n.language)}
      </div>
      <div role="cell" data-col="cost" className="ui-numeric" data-testid="history-cost" title={t("callCost.historyCost")}>
        {call.costMicros === null ? "—" : formatMoney(call.costMicros, currency, i18n.language)}
      </div>
      <div role="cell" data-col="outcome" className="history-result">
        {outcome !== null && (
          <span className="outcome" data-testid="history-outcome" data-outcome-key={call.outcomeKey ?? undefined}>
            {outcome}
          </span>
        )}
        <span className={outcome === null ? "disposition" : "disposition secondary"} data-testid="history-disposition" data-disposition={call.disposition}>
          {dispositionText(call.disposition, t)}
        </span>
      </div>
      {madeBy !== undefined && (
        <div role="cell" data-col="made-by" className="history-made-by" data-testid="history-made-by">
          {madeBy}
        </div>
      )}
      <div role="cell" data-col="actions" className="history-actions">
        {onCallBack && <IconButton size="sm" label={t("historyTable.callBack", { number })} data-testid="history-call-back" icon={<Phone size={16} aria-hidden="true" />} onClick={() => onCallBack(call)} />}
        <IconButton
          size="sm"
          label={expanded ? t("historyTable.hideDetails") : t("historyTable.showDetails", { party })}
          data-testid="history-details-toggle"
          data-recording-id={recording?.id}
          aria-expanded={expanded}
          aria-controls={expanded ? detailsId : undefined}
          icon={recording && !expanded ? <AudioLines size={16} aria-hidden="true" /> : expanded ? <ChevronUp size={16} aria-hidden="true" /> : <ChevronDown size={16} aria-hidden="true" />}
          onClick={onToggle}
        />
      </div>
    </div>
  );
}

/** The server's dispositions (`callDispositions` in src-shared/server-api/calls.ts): answered, busy, no_answer, declined, failed, cancelled, interrupted, refused:<reason>. */
export function dispositionText(disposition: string, t: (key: string, options?: Record<string, unknown>) => string): string {
  const [kind, reason] = disposition.split(":", 2);
  if (kind === "refused" && reason) return `${t("disposition.refused")}: ${t(`callFailure.${reason}`, { defaultValue: reason })}`;
  return t(`disposition.${kind ?? ""}`, { defaultValue: disposition });
}
