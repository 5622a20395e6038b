import { lazy, Suspense, type ComponentProps } from "react";
import { useTranslation } from "react-i18next";
import { Skeleton } from "../components/ui/spinner";
import { usePhoneSnapshot } from "../phone/phone-context";
import { afterFirstFrame } from "../components/shell/use-after-first-paint";
import { loadNumberTools } from "./use-number-tools";

// What the idle dialer does not show loads after its first paint: the call screen (with the
// transfer dialog, coaching notice and voicemail drop), the power dialer's queue and the
// incoming call's pop, the outcome prompt of earlier calls, and the rate of a typed number
// (with the number rules: libphonenumber's metadata). Fetched once the first frame is drawn,
// so a call, a ring or a typed number finds them.
const loadCallScreen = () => import("./call-screen");
const loadOutcomePrompt = () => import("./call-outcome");
const loadRateHint = () => import("./credits/rate-hint");
const loadQueuePanel = () => import("./power-dialer/dial-queue-panel");
const loadIncomingPop = () => import("./inbound/incoming-call-pop");

const CallScreen = lazy(() => loadCallScreen().then((m) => ({ default: m.CallScreen })));
const QueuePanel = lazy(() => loadQueuePanel().then((m) => ({ default: m.DialQueuePanel })));
const IncomingPop = lazy(() => loadIncomingPop().then((m) => ({ default: m.IncomingCallPop })));
const OutcomePrompt = lazy(() => loadOutcomePrompt().then((m) => ({ default: m.PendingOutcomePrompt })));
const RateHint = lazy(() => loadRateHint().then((m) => ({ default: m.RateHint })));

/** Starts fetching the phone's later parts once the dialer has painted; returns a cancel. Only where there are frames to wait for (not jsdom). */
export function prefetchPhoneParts(): () => void {
  if (typeof requestIdleCallback !== "function") return () => undefined;
  return afterFirstFrame(() => {
    for (const load of [loadNumberTools, loadRateHint, loadCallScreen, loadOutcomePrompt, loadQueuePanel, loadIncomingPop])
      load().catch((e: unknown) => console.warn("[start] a part of the phone screen did not load ahead; it loads when shown", e));
  }, 2000);
}

/** The call in progress or just ended, in the dialer's place; a placeholder of the same card while its code arrives. */
export function LazyCallScreen(props: ComponentProps<typeof CallScreen>) {
  return (
    <Suspense fallback={<Skeleton lines={6} className="call-screen" />}>
      <CallScreen {...props} />
    </Suspense>
  );
}

/** The power dialer's queue above the dialer, while one runs. */
export function LazyDialQueuePanel(props: ComponentProps<typeof QueuePanel>) {
  return (
    <Suspense fallback={null}>
      <QueuePanel {...props} />
    </Suspense>
  );
}

/** The incoming call's pop: its code is asked for only when something rings (or ahead, after the first paint). */
export function LazyIncomingCallPop(props: ComponentProps<typeof IncomingPop>) {
  const ringing = usePhoneSnapshot().incoming !== null;
  if (!ringing) return null;
  return (
    <Suspense fallback={null}>
      <IncomingPop {...props} />
    </Suspense>
  );
}

/** Calls that ended without an outcome, under the dialer. */
export function LazyPendingOutcomePrompt() {
  return (
    <Suspense fallback={null}>
      <OutcomePrompt />
    </Suspense>
  );
}

/** The typed number's rate under the dialer; while its code arrives, the line it starts with. */
export function LazyRateHint(props: ComponentProps<typeof RateHint>) {
  return (
    <Suspense fallback={<RateChecking />}>
      <RateHint {...props} />
    </Suspense>
  );
}

function RateChecking() {
  const { t } = useTranslation();
  return (
    <p className="hint rate-hint" data-testid="rate-hint" data-state="loading">
      {t("rateQuote.checking")}
    </p>
  );
}
