import type { HistoryCall } from "../../../src-shared/api/contract";
import type { ListedRecording } from "../../../src-shared/api/areas/recordings";
import { HistoryDetails } from "./history-details";
import { HistoryRow } from "./history-row";
import type { HistoryPeople } from "./use-history-people";

export interface HistoryEntryProps {
  call: HistoryCall;
  currency: string;
  timeZone: string;
  people: HistoryPeople;
  recording: ListedRecording | undefined;
  open: boolean;
  /** The id of the details region the row's toggle controls (unique on the page). */
  detailsId: string;
  onToggle: () => void;
  /** The row's aria-rowindex inside a virtual list (only some rows are in the DOM). */
  rowIndex?: number | undefined;
  onContact?: ((id: string) => void) | undefined;
  onDeal?: ((id: string) => void) | undefined;
  onEdit?: ((call: HistoryCall) => void) | undefined;
  onOpenCall?: ((callId: string) => void) | undefined;
}

/** One call of a history table (the history screen, a contact's or deal's calls): its row, and below it, when open, the recording and notes. */
export function HistoryEntry({ call, currency, timeZone, people, recording, open, detailsId, onToggle, rowIndex, onContact, onDeal, onEdit, onOpenCall }: HistoryEntryProps) {
  return (
    <>
      <HistoryRow
        call={call}
        currency={currency}
        timeZone={timeZone}
        country={people.country}
        recording={recording}
        madeBy={people.admin ? people.nameOf(call.userId) : undefined}
        expanded={open}
        detailsId={detailsId}
        onToggle={onToggle}
        rowIndex={rowIndex}
        onContact={onContact}
        onCallBack={people.callBack}
      />
      {open && <HistoryDetails id={detailsId} call={call} recording={recording} columns={people.admin ? 7 : 6} onDeal={onDeal} onEdit={onEdit} timeZone={timeZone} admin={people.admin} onOpenCall={onOpenCall} />}
    </>
  );
}
