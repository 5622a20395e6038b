import { Pencil } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { HistoryCall } from "../../../src-shared/api/contract";
import type { OfflineState } from "../../../src-shared/api/areas/recordings";
import type { RecordingSummary } from "../../../src-shared/server-api/recordings";
import { Button } from "../../components/ui/button";
import { RecordingPlayer } from "../recording-player";
import { CreateContactFromCall } from "../inbound/create-contact-from-call";
import { CallCoachingLog } from "./call-coaching-log";
import { CallTransferChain } from "./call-transfer-chain";

export interface HistoryDetailsProps {
  id: string;
  call: HistoryCall;
  recording: (RecordingSummary & { offline?: OfflineState }) | undefined;
  columns: number;
  onDeal?: ((id: string) => void) | undefined;
  onEdit?: ((call: HistoryCall) => void) | undefined;
  /** The transfer chain and (admins) the coaching log need the call's time zone and who reads. */
  timeZone?: string | undefined;
  admin?: boolean | undefined;
  onOpenCall?: ((callId: string) => void) | undefined;
}

/** A call's opened row: the recording player across the table's width (room for the waveform), notes, deal, edit. */
export function HistoryDetails({ id, call, recording, columns, onDeal, onEdit, timeZone, admin, onOpenCall }: HistoryDetailsProps) {
  const { t } = useTranslation();
  return (
    <div role="row" className="history-details" id={id} data-testid="history-details">
      <div role="cell" aria-colspan={columns} className="history-details-body">
        <section className="history-details-recording" aria-label={t("historyTable.recording")}>
          {recording ? <RecordingPlayer recording={recording} /> : <p className="hint">{t("historyTable.noRecording")}</p>}
        </section>
        <dl className="history-details-facts">
          {call.dealTitle && (
            <>
              <dt>{t("historyTable.deal")}</dt>
              <dd>
                {call.dealId && onDeal ? (
                  <button type="button" className="link" data-testid="history-deal" onClick={() => onDeal(call.dealId!)}>
                    {call.dealTitle}
                  </button>
                ) : (
                  <span data-testid="history-deal">{call.dealTitle}</span>
                )}
              </dd>
            </>
          )}
          {call.notes && (
            <>
              <dt>{t("historyTable.notes")}</dt>
              <dd className="notes" data-testid="history-notes">
                {call.notes}
              </dd>
            </>
          )}
        </dl>
        {call.direction === "inbound" && call.disposition !== "answered" && !call.contactId && call.number !== "" && <CreateContactFromCall number={call.number} testIdPrefix="history-create-contact" />}
        {timeZone !== undefined && <CallTransferChain callId={call.id} timeZone={timeZone} onOpenCall={onOpenCall} />}
        {timeZone !== undefined && admin === true && <CallCoachingLog callId={call.id} timeZone={timeZone} />}
        {onEdit && (
          <Button size="sm" data-testid="history-edit" icon={<Pencil size={14} aria-hidden="true" />} onClick={() => onEdit(call)}>
            {t("crm.edit")}
          </Button>
        )}
      </div>
    </div>
  );
}
