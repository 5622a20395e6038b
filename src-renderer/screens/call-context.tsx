import { useTranslation } from "react-i18next";
import type { CallContext } from "../../src-shared/api/areas/phone";
import { formatDateTime, formatDuration, formatMoney } from "../../src-shared/format";
import type { CallState } from "../phone/call-state";
import { useCoreQuery } from "../query/core-query";

type PlacedCall = Exclude<CallState, { status: "idle" }>;

/** The call's contact and server record from the core; read again as the call moves on and after each sync (the record lands then). */
export function useCallContext(call: PlacedCall, syncSeq: number | undefined): CallContext | null {
  const settled = call.status === "ended";
  return useCoreQuery("getCallContext", { clientCallId: call.callId, number: call.number, dialedAt: call.dialedAt }, { deps: [settled, syncSeq] }).data ?? null;
}

/** Who the salesperson is talking to: name, organization, deal and the last note, from the CRM page or the number. */
export function CallContactCard({ context }: { context: CallContext | null }) {
  const { t, i18n } = useTranslation();
  const contact = context?.contact ?? null;
  if (context === null) return null;
  if (contact === null) {
    return (
      <p className="call-contact call-contact-unknown hint" data-testid="call-contact" data-source="none">
        {t("callContact.unknown")}
      </p>
    );
  }
  return (
    <section className="call-contact" data-testid="call-contact" data-source={contact.source} aria-label={t("callContact.title")}>
      <p className="call-contact-name" data-testid="call-contact-name">
        {contact.personName ?? contact.organizationName ?? ""}
      </p>
      <dl className="call-facts">
        {contact.organizationName !== null && contact.personName !== null && (
          <>
            <dt>{t("callContact.organization")}</dt>
            <dd data-testid="call-contact-organization">{contact.organizationName}</dd>
          </>
        )}
        {contact.dealTitle !== null && (
          <>
            <dt>{t("callContact.deal")}</dt>
            <dd data-testid="call-contact-deal">{contact.dealTitle}</dd>
          </>
        )}
        {/* Hidden once the call ended: the salesperson is writing the next note. */}
        <dt className="call-fact-note">{t("callContact.lastNote")}</dt>
        <dd data-testid="call-contact-note" className={contact.lastNote === null ? "call-fact-note hint" : "call-fact-note call-note"}>
          {contact.lastNote === null ? (
            t("callContact.noNote")
          ) : (
            <>
              <span className="call-note-text">{contact.lastNote.notes}</span> <time className="hint">{formatDateTime(contact.lastNote.at, i18n.language)}</time>
            </>
          )}
        </dd>
      </dl>
    </section>
  );
}

/** After the call: how long, what it cost (once rated), whether it was recorded. */
export function CallSummary({ call, context, currency }: { call: Extract<CallState, { status: "ended" }>; context: CallContext | null; currency: string }) {
  const { t, i18n } = useTranslation();
  const record = context?.record ?? null;
  const seconds = call.connectedAt === null ? null : Math.max(0, Math.round((call.endedAt - call.connectedAt) / 1000));
  const cost = record === null || record.costMicros === null ? (call.connectedAt === null ? t("callSummary.costNone") : t("callSummary.costPending")) : record.costMicros === 0 ? t("callSummary.costNone") : formatMoney(record.costMicros, currency, i18n.language);
  const recorded = record === null ? (call.connectedAt === null ? t("callSummary.recordedNo") : "…") : record.recorded ? t("callSummary.recordedYes") : t("callSummary.recordedNo");
  return (
    <section className="call-summary" data-testid="call-summary" aria-label={t("callSummary.title")}>
      <dl className="call-facts">
        <dt>{t("callSummary.duration")}</dt>
        <dd data-testid="call-summary-duration">{seconds === null ? t("callSummary.notConnected") : formatDuration(seconds, i18n.language)}</dd>
        <dt>{t("callSummary.cost")}</dt>
        <dd data-testid="call-summary-cost">{cost}</dd>
        <dt>{t("callSummary.recorded")}</dt>
        <dd data-testid="call-summary-recorded">{recorded}</dd>
      </dl>
    </section>
  );
}
