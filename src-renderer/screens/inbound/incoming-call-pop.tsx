import { Phone as PhoneIcon, PhoneOff } from "lucide-react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { formatForCountry } from "../../../src-shared/phone/normalize";
import { Button } from "../../components/ui/button";
import { Dialog } from "../../components/ui/dialog";
import type { IncomingRing } from "../../phone/incoming-call";
import { usePhone, usePhoneSnapshot } from "../../phone/phone-context";
import { CallContactCard } from "../call-context";
import { CreateContactFromCall } from "./create-contact-from-call";
import { useCoreQuery } from "../../query/core-query";
import { useToast } from "../../components/ui/toast";
import { describeError } from "../../i18n/i18n";

/**
 * The screen pop: who is calling, before anyone answers. The contact,
 * organization and open deal come from the core's CRM mirror on this
 * computer, so they show while the company server is slow or away.
 */
export function IncomingCallPop({ country, onAnswered }: { country: string; onAnswered: () => void }) {
  const { t } = useTranslation();
  const phone = usePhone();
  const toast = useToast();
  const ring = usePhoneSnapshot().incoming;
  const ringId = ring?.callId ?? null;
  const caller = ring === null ? "" : ring.number === "" ? t("inbound.withheld") : formatForCountry(ring.number, country);
  useEffect(() => {
    return ringId === null ? undefined : bringForward(t("inbound.from", { number: caller }));
    // Once per call, not per render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ringId]);
  if (ring === null) return null;
  return (
    <RingingDialog
      ring={ring}
      caller={caller}
      onAnswer={() => {
        onAnswered();
        // Answering can fail here (no microphone, the caller gone mid-answer): say so rather than drop it.
        void phone.answer().catch((e: unknown) => toast.error(t("inbound.answerFailed", { message: describeError(t, e) })));
      }}
      onDecline={() => phone.decline()}
    />
  );
}

/**
 * The window comes forward as far as the desktop allows: focused when it may
 * be, else a notification (the user is in another app) whose click focuses it.
 */
function bringForward(body: string): (() => void) | undefined {
  window.focus();
  if (typeof Notification === "undefined" || Notification.permission !== "granted" || document.hasFocus()) return undefined;
  const notice = new Notification("Caller", { body, tag: "incomingCall", requireInteraction: true });
  notice.onclick = () => window.focus();
  return () => notice.close();
}

/** `caller`: the number as a person reads it (national style at home, else international), or "withheld". */
function RingingDialog({ ring, caller, onAnswer, onDecline }: { ring: IncomingRing; caller: string; onAnswer: () => void; onDecline: () => void }) {
  const { t } = useTranslation();
  // The mirror keeps numbers in E.164; a national or withheld number finds nobody.
  const e164 = /^\+[1-9][0-9]{6,14}$/.test(ring.number);
  const context = useCoreQuery("getCallContext", { clientCallId: ring.callId, number: e164 ? ring.number : "+10000000", dialedAt: ring.receivedAt }, { enabled: e164 }).data ?? null;
  const known = context?.contact != null;
  return (
    <Dialog
      open
      // Only the buttons end the ringing: Esc or a stray click must not decline a caller.
      onOpenChange={() => undefined}
      title={t("inbound.popTitle")}
      description={ring.number === "" ? caller : t("inbound.from", { number: caller })}
      size="sm"
      testId="incoming-call"
      footer={
        <>
          <Button variant="danger" icon={<PhoneOff size={16} />} onClick={onDecline} data-testid="incoming-decline">
            {t("inbound.decline")}
          </Button>
          <Button variant="primary" icon={<PhoneIcon size={16} />} onClick={onAnswer} data-testid="incoming-answer" autoFocus>
            {t("inbound.answer")}
          </Button>
        </>
      }
    >
      <div className="incoming-call" data-known={known ? "true" : "false"}>
        {ring.transferredBy !== null && (
          <p className="incoming-transferred" data-testid="incoming-transferred-by">
            {ring.consult ? t("transferTeam.consultingYou", { name: ring.transferredBy }) : t("transfer.transferredBy", { name: ring.transferredBy })}
          </p>
        )}
        {ring.did !== null && <p className="hint" data-testid="incoming-did">{t("inbound.toNumber", { number: ring.did })}</p>}
        {known ? <CallContactCard context={context} /> : <p className="call-contact-unknown hint" data-testid="incoming-unknown">{t("inbound.unknownCaller")}</p>}
        {context !== null && !known && e164 && <CreateContactFromCall number={ring.number} testIdPrefix="incoming-create-contact" />}
      </div>
    </Dialog>
  );
}
