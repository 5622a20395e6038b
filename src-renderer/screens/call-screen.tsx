import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { assertNever, drop } from "../../src-shared/assert-never";
import { formatDuration, formatTimer } from "../../src-shared/format";
import { formatForDisplay } from "../../src-shared/phone/normalize";
import type { CallState } from "../phone/call-state";
import type { PhoneNotice } from "../phone/phone";
import { usePhone, usePhoneSnapshot } from "../phone/phone-context";
import { useDesktopRecorder } from "../phone/desktop-recorder-hook";
import { CallKeypad } from "./call-keypad";
import { CallOutcome } from "./call-outcome";
import { CallQuality } from "./call-quality";
import { CallCostLine } from "./credits/call-cost-line";
import { cutBy, type CallLimitReason } from "./credits/call-cost";
import { rememberedQuote } from "./credits/quote-memory";
import { RecordingCallControls } from "./recording-controls";
import { asksForOutcome } from "../phone/call-outcome-rule";
import { CallContactCard, CallSummary, useCallContext } from "./call-context";
import { VoicemailDropControl } from "./voicemail/voicemail-drop-control";
import { CoachingNotice } from "./coaching-notice";
import { ConsultPanel } from "./transfer/consult-panel";
import { TransferControl } from "./transfer/transfer-control";
import { useDialQueue } from "./power-dialer/use-dial-queue";

export interface CallScreenProps {
  /** The company's currency, for the cost in the summary. */
  currency: string;
  /** The change feed's position: the call's record (cost, recording) arrives with a sync. */
  syncSeq?: number | undefined;
  /** Dials the same number again from the summary. */
  onCallAgain: (e164: string) => void;
  /** The user's country, for a transfer number typed without a country code. */
  country?: string;
}

/** The call in progress or just ended: who it is with, status, timer, mute, hold, keypad, hang up; after it, a summary and the outcome. */
export function CallScreen({ currency, syncSeq, onCallAgain, country }: CallScreenProps) {
  // From the dial on, so the recorder sees the answer even if the user leaves this screen meanwhile.
  useDesktopRecorder();
  const { call, muted, quality, notice, dtmfSent, voicemail, consult } = usePhoneSnapshot();
  const now = useClock(call.status === "connected" || call.status === "on-hold");
  const queue = useDialQueue();
  if (call.status === "idle") return null;
  const leavingVoicemail = voicemail !== null && voicemail.callId === call.callId;
  const skippedByQueue = queue?.items.some((i) => i.clientCallId === call.callId && i.state === "skipped") === true;
  return <PlacedCallScreen call={call} muted={muted} quality={quality} notice={notice} dtmfSent={dtmfSent} now={now} currency={currency} syncSeq={syncSeq} onCallAgain={onCallAgain} leavingVoicemail={leavingVoicemail} skippedByQueue={skippedByQueue} consulting={consult !== null && consult.state.status !== "ended"} {...(country === undefined ? {} : { country })} />;
}

interface PlacedCallProps extends CallScreenProps {
  call: Exclude<CallState, { status: "idle" }>;
  muted: boolean;
  quality: ReturnType<typeof usePhoneSnapshot>["quality"];
  notice: PhoneNotice | null;
  dtmfSent: string;
  now: number;
  /** A voicemail is being left on this call: its end is not a wrap-up (the server logs the outcome). */
  leavingVoicemail: boolean;
  /** The power dialer skipped this call while it rang: the core logged it as not answered, so there is no wrap-up. */
  skippedByQueue: boolean;
  /** A consultation call is up: the first call is held, and the transfer's choice is shown instead of its controls. */
  consulting: boolean;
}

function PlacedCallScreen({ call, muted, quality, notice, dtmfSent, now, currency, syncSeq, onCallAgain, leavingVoicemail, skippedByQueue, consulting, country = "JP" }: PlacedCallProps) {
  const { t, i18n } = useTranslation();
  const phone = usePhone();
  const context = useCallContext(call, syncSeq);

  const talking = call.status === "connected" || call.status === "on-hold";
  const ended = call.status === "ended";
  const wrapUp = ended && asksForOutcome(call) && !leavingVoicemail && !skippedByQueue;
  return (
    <section className={`call-screen call-${call.status}${wrapUp ? " wrap-up" : ""}`} aria-labelledby="call-number" data-testid="call-screen" data-status={call.status}>
      <CallContactCard context={context} />
      <h2 id="call-number">{formatForDisplay(call.number)}</h2>
      <p className={ended && call.end.by === "failure" ? "error" : "call-status"} data-testid="call-status" role={ended ? "alert" : "status"}>
        {leavingVoicemail ? t("voicemail.drop.leaving") : statusText(call, t, i18n.language)}
        {talking && (
          <>
            {" "}
            <time data-testid="call-timer">{formatTimer((now - call.connectedAt) / 1000)}</time>
          </>
        )}
      </p>
      {notice && (
        <p className="notice" role="alert" data-testid="call-notice">
          {noticeText(notice, t)}
        </p>
      )}
      {talking && <CoachingNotice clientCallId={call.callId} />}
      {talking && <CallCostLine number={call.number} connectedAt={call.connectedAt} now={now} />}
      {talking && <CallQuality quality={quality} />}
      {talking && <RecordingCallControls />}
      {talking && <CallKeypad sent={dtmfSent} disabled={call.status !== "connected"} onKey={(key) => phone.sendDtmf(key)} />}
      {ended && <CallSummary call={call} context={context} currency={currency} />}
      {talking && <ConsultPanel />}
      <div className="call-actions">
        {talking && !consulting && (
          <>
            <button type="button" aria-pressed={muted} onClick={() => phone.setMuted(!muted)}>
              {muted ? t("call.unmute") : t("call.mute")}
            </button>
            <button type="button" aria-pressed={call.status === "on-hold"} onClick={() => drop(phone.setHeld(call.status === "connected"))}>
              {call.status === "on-hold" ? t("call.resume") : t("call.hold")}
            </button>
            <VoicemailDropControl leaving={leavingVoicemail} />
            <TransferControl country={country} />
          </>
        )}
        {ended ? (
          <>
            <button type="button" data-testid="call-again" onClick={() => onCallAgain(call.number)}>
              {t("callSummary.callAgain")}
            </button>
            <button type="button" onClick={() => phone.dismiss()}>
              {t("call.done")}
            </button>
          </>
        ) : (
          // While consulting, "Back to caller" comes first: hanging up here would leave the consultation alone.
          !consulting && (
            <button type="button" className="hang-up" disabled={call.status === "ending"} onClick={() => phone.hangUp()}>
              {t("call.hangUp")}
            </button>
          )
        )}
      </div>
      {wrapUp && <CallOutcome clientCallId={call.callId} number={call.number} endedAt={call.endedAt} />}
    </section>
  );
}

type T = (key: string, options?: Record<string, unknown>) => string;

function statusText(call: Exclude<CallState, { status: "idle" }>, t: T, locale: string): string {
  switch (call.status) {
    case "dialing":
      return t("call.dialing");
    case "ringing":
      return t("call.ringing");
    case "connected":
      return t("call.connected");
    case "on-hold":
      return t("call.onHold");
    case "ending":
      return t("call.ending");
    case "ended":
      switch (call.end.by) {
        case "local":
          return t("call.endedLocal");
        case "remote": {
          const quote = rememberedQuote(call.number);
          const limit = cutBy(quote, call.connectedAt, call.endedAt);
          return limit === null || quote === null ? t("call.endedRemote") : cutDoneText(limit, quote.maxSeconds, t, locale);
        }
        case "failure":
          return t("call.failed", { reason: t(`callFailure.${call.end.reason}`) });
        default:
          return assertNever(call.end, "call end");
      }
    default:
      return assertNever(call, "call");
  }
}

function cutDoneText(limit: CallLimitReason, maxSeconds: number, t: T, locale: string): string {
  const duration = formatDuration(maxSeconds, locale);
  switch (limit) {
    case "balance":
      return t("callCost.cutDoneBalance");
    case "trial_cap":
      return t("callCost.cutDoneTrial", { duration });
    case "company_max":
      return t("callCost.cutDoneCompany", { duration });
    case "pbx_max":
      return t("callCost.cutDonePbx");
    default:
      return assertNever(limit, "call limit");
  }
}

function noticeText(notice: PhoneNotice, t: T): string {
  switch (notice) {
    case "headset_unplugged":
      return t("call.headsetUnplugged");
    case "speaker_unplugged":
      return t("call.speakerUnplugged");
    case "network_changed":
      return t("call.networkChanged");
    case "microphone_lost":
      return t("call.microphoneLost");
    default:
      return assertNever(notice, "notice");
  }
}

function useClock(running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return now;
}
