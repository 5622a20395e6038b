import { useEffect, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useApi } from "../api-context";
import { Button } from "../components/ui/button";
import { useToast } from "../components/ui/toast";
import { describeError } from "../i18n/i18n";
import type { Phone } from "../phone/phone";
import { usePhoneSnapshot } from "../phone/phone-context";
import { CallDevices } from "./call-devices";
import { Dialer } from "./dialer";
import { RecordChoice } from "./recording-controls";
import { LazyCallScreen, LazyDialQueuePanel, LazyPendingOutcomePrompt } from "./phone-parts";
import { useDialQueue } from "./power-dialer/use-dial-queue";
import { usePowerDialer } from "./power-dialer/use-power-dialer";

export interface AutoDial {
  number: string;
  at: number;
}

export interface DialerSlot {
  defaultCountry: string;
  callerEnabled: boolean;
  number: string;
  onNumberChange: (number: string) => void;
}

/** The Phone screen: the dialer (or the call) on the left, recent calls beside it. */
export function PhoneScreen({ side, children }: { side: ReactNode; children: ReactNode }) {
  return (
    <div className="phone-screen screen-fill">
      <div className="phone-column">{children}</div>
      <div className="phone-side">{side}</div>
    </div>
  );
}

/** The dialer where this window runs no softphone: the tray hands its Call to the main window. */
export function DialerOnly({ dialer, tray }: { dialer: DialerSlot; tray: boolean }) {
  const api = useApi();
  const { t } = useTranslation();
  const toast = useToast();
  const onCall = tray
    ? (e164: string) =>
        void api.dialText({ text: e164, source: "tray", placeCall: true }).catch((e: unknown) => toast.error(t("errorsUi.tray", { message: describeError(t, e) })))
    : undefined;
  return <Dialer {...dialer} onCall={onCall} />;
}

/** With a softphone: the call screen takes the dialer's place while a call is on or just ended. */
export function PhoneColumn({
  phone,
  country,
  dialer,
  autoDial,
  onConnectNumber,
  currency,
  syncSeq,
}: {
  phone: Phone;
  country: string;
  dialer: DialerSlot;
  autoDial: AutoDial | null;
  onConnectNumber: () => void;
  currency: string;
  syncSeq: number | undefined;
}) {
  const { t } = useTranslation();
  const { call } = usePhoneSnapshot();
  const [callError, setCallError] = useState<string | null>(null);
  const onCall = (e164: string) => {
    const refused = phone.dial(e164, country);
    if (refused === null) setCallError(null);
    else if (refused === "not_registered") setCallError(t("call.notRegistered"));
    else if (refused === "busy") setCallError(t("call.busyLine"));
    else setCallError(t("call.cannotDial", { reason: t(`numberProblem.${refused}`) }));
  };
  const callAgain = (e164: string) => {
    phone.dismiss();
    onCall(e164);
  };
  const queue = useDialQueue();
  usePowerDialer(phone, country, queue, onQueueRefused(setCallError, t), (e) => setCallError(t("powerDialer.error.next", { message: describeError(t, e) })));
  const placed = useRef<AutoDial | null>(null);
  useEffect(() => {
    if (autoDial === null || placed.current === autoDial) return;
    placed.current = autoDial;
    onCall(autoDial.number);
    // onCall is rebuilt each render; only a new hand-over places a call.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [autoDial]);
  return (
    <>
      {queue !== null && <LazyDialQueuePanel queue={queue} />}
      {call.status === "idle" ? <Dialer {...dialer} onCall={onCall} callError={callError} /> : <LazyCallScreen currency={currency} syncSeq={syncSeq} onCallAgain={callAgain} country={country} />}
      {call.status === "idle" && <RecordChoice />}
      {call.status === "idle" && <LazyPendingOutcomePrompt />}
      {call.status === "ended" && call.end.by === "failure" && call.end.reason === "number_not_verified" && (
        <Button variant="primary" data-testid="connect-number-link" onClick={onConnectNumber}>
          {t("personal.connectNumberLink")}
        </Button>
      )}
      <CallDevices />
    </>
  );
}

/** The phone refused the queue's number: said where a typed number's refusal is. */
function onQueueRefused(setCallError: (text: string) => void, t: (key: string, options?: Record<string, unknown>) => string) {
  return (reason: string) => setCallError(t("powerDialer.error.refused", { reason }));
}
