import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { DialRequest, Language, SessionState, Settings, SyncState, Theme } from "../../src-shared/api/contract";
import { planIncludesCaller } from "../../src-shared/domain/plan";
import { useApi } from "../api-context";
import { usePhoneStatus, useServerLink } from "../components/registration-status";
import { NavRail, type View } from "../components/shell/nav-rail";
import { PhoneStateReason, StatusPill } from "../components/shell/status-pill";
import { SyncStatus } from "../components/shell/sync-status";
import { useMediaQuery } from "../components/shell/use-media-query";
import { UserMenu } from "../components/shell/user-menu";
import { Skeleton } from "../components/ui/spinner";
import { useToast } from "../components/ui/toast";
import { describeError } from "../i18n/i18n";
import { PhoneContext, usePhoneSnapshot } from "../phone/phone-context";
import { AvailabilityControl } from "./inbound/availability-control";
import { useSoftphone } from "../phone/use-softphone";
import { useCrmCallLink } from "./crm/use-crm-call-link";
import { LowBalanceBanner } from "./credits/low-balance-banner";
import { focusDialer, isTrayWindow, useWorkspaceDesktop } from "./desktop/use-workspace-desktop";
import { usePhoneDesktop } from "./desktop/use-phone-desktop";
import { DialerOnly, PhoneColumn, PhoneScreen, type AutoDial, type DialerSlot } from "./phone-screen";
import { LazyIncomingCallPop, prefetchPhoneParts } from "./phone-parts";
import { RecordingUploads } from "./recording-uploads";
import { markStart } from "../start/start-marks";

// Admin and settings screens load on first visit: the first paint is the dialer.
const CompanyPage = lazy(() => import("./admin-home").then((m) => ({ default: m.AdminHome })));
const CreditsPage = lazy(() => import("./credits/credits-page").then((m) => ({ default: m.CreditsPage })));
// Only plans without Caller show it, in place of the dialer.
const NoCaller = lazy(() => import("./plan/no-caller").then((m) => ({ default: m.NoCaller })));
const SettingsPage = lazy(() => import("./settings-page").then((m) => ({ default: m.SettingsPage })));
// History, contacts and deals (the virtualizer, tables, CRM pages): beside the dialer, never in its way.
const CrmPanel = lazy(() => import("./crm/crm-panel").then((m) => ({ default: m.CrmPanel })));

type SignedIn = Extract<SessionState, { signedIn: true }>;

export interface WorkspaceProps {
  session: SignedIn;
  settings: Settings;
  sync: SyncState | null;
  onLanguage: (language: Language | null) => void;
  onTheme: (theme: Theme) => void;
}

export function Workspace({ session, settings, sync, onLanguage, onTheme }: WorkspaceProps) {
  markStart("workspace");
  const api = useApi();
  const toast = useToast();
  // Essential and Advanced have no Caller: no dialer, no credits; history is the first screen (the tray says why it has no dialer).
  const planHasCaller = planIncludesCaller(session.company.plan);
  const home: View = planHasCaller || isTrayWindow() ? "phone" : "history";
  const [view, setView] = useState<View>(home);
  // A click-to-call from a CRM screen keeps that screen mounted (hidden) until the
  // call is done, then comes back to the same page, search and scroll.
  const [returnTo, setReturnTo] = useState<CrmView | null>(null);
  // The nav rail opens a CRM section at its list; only the return after a call keeps the page that was open.
  const [crmStarts, setCrmStarts] = useState<Partial<Record<CrmView, number>>>({});
  const navigate = (next: View) => {
    if (isCrmView(next)) setCrmStarts((now) => ({ ...now, [next]: (now[next] ?? 0) + 1 }));
    setView(next);
  };
  const currentView = useRef(view);
  useEffect(() => {
    currentView.current = view;
  }, [view]);
  const [number, setNumber] = useState("");
  const [linkNotice, setLinkNotice] = useState<string | null>(null);
  const { t } = useTranslation();
  const isAdmin = session.user.role === "admin";
  // The tray's small dialer runs no softphone (it would register a second SIP contact): its Call goes to the main window.
  const tray = isTrayWindow();
  useEffect(() => (planHasCaller && !tray ? prefetchPhoneParts() : undefined), [planHasCaller, tray]);
  const link = useServerLink();
  const { phone, configProblem, retryConfig } = useSoftphone(api, session.callerEnabled && !tray, link?.status === "reachable");
  const [autoDial, setAutoDial] = useState<AutoDial | null>(null);
  const country = settings.defaultCountry ?? session.company.country;
  const desktop = useWorkspaceDesktop(api, phone, () => setView("phone"), (e) => toast.error(describeError(t, e)));
  const { pill: phoneStatus } = usePhoneStatus(
    tray
      ? null
      : {
          phone,
          link,
          configProblem,
          session: { planIncludesCaller: planHasCaller, callerEnabled: session.callerEnabled, isAdmin },
          retryConfig,
          onConnectNumber: () => setView("settings"),
          onBuyCredit: () => setView("credits"),
        },
  );
  const narrow = useMediaQuery("(max-width: 1180px)");
  const [railChoice, setRailChoice] = useState<boolean | null>(null);
  const collapsed = railChoice ?? narrow;

  useEffect(() => {
    const show = (request: DialRequest | null) => {
      if (!request) return;
      const from = currentView.current;
      setReturnTo(home === "phone" && isCrmView(from) ? from : null);
      setView(home);
      setNumber(request.number);
      if (request.placeCall === true && request.number !== "") setAutoDial({ number: request.number, at: Date.now() });
      focusDialer();
      setLinkNotice(
        request.problem
          ? `${t("dialUri.refusedPrefix")} ${t(`dialUri.${request.problem}`)}`
          : request.extension
            ? t("dialUri.extension", { extension: request.extension })
            : null,
      );
    };
    const off = api.on("dialRequested", (request) => {
      // Taken so a reload does not prefill it again; a failure only means a reload may show it twice.
      void api.takeDialRequest({}).catch((e: unknown) => console.warn("[dial] could not mark the request taken", e));
      show(request);
    });
    api
      .takeDialRequest({})
      .then(show)
      .catch((e: unknown) => toast.error(describeError(t, e)));
    return off;
  }, [api, t, toast, home]);

  const dialer: DialerSlot = { defaultCountry: country, callerEnabled: session.callerEnabled, number, onNumberChange: setNumber };
  const crm = { currency: session.company.currency, timeZone: session.company.timeZone, sync };
  const signOut = () => void api.signOut({}).catch((e: unknown) => toast.error(t("userMenu.signOutFailed", { message: describeError(t, e) })));

  const screen = () => {
    switch (view) {
      case "phone": {
        if (!planHasCaller) return <NoCaller plan={session.company.plan} isAdmin={isAdmin} />;
        const side = (
          <>
            <RecordingUploads />
            <Suspense fallback={<Skeleton lines={6} />}>
              <CrmPanel section="history" {...crm} />
            </Suspense>
          </>
        );
        return (
          <PhoneScreen side={side}>
            {phoneStatus && <PhoneStateReason state={phoneStatus} />}
            {phone ? <PhoneColumn phone={phone} country={country} dialer={dialer} autoDial={autoDial} onConnectNumber={() => setView("settings")} currency={session.company.currency} syncSeq={sync?.lastSeq} /> : <DialerOnly dialer={dialer} tray={tray} />}
          </PhoneScreen>
        );
      }
      case "history":
      case "contacts":
      case "deals":
        // Rendered below: kept mounted while a call started there is on.
        return null;
      case "credits":
        return isAdmin && planHasCaller ? <CreditsPage company={session.company} /> : null;
      case "company":
        return isAdmin ? <CompanyPage company={session.company} /> : null;
      case "settings":
        return <SettingsPage company={session.company} defaultCountry={country} desktop={desktop} />;
      default:
        return null;
    }
  };
  // History fills the height and scrolls its own list; other screens scroll the content area.
  const fills = view === "phone" || view === "history";

  const content = (
    <div className={tray ? "app-shell tray" : "app-shell"}>
      {!tray && <NavRail view={view} onView={navigate} isAdmin={isAdmin} hasCaller={planHasCaller} collapsed={collapsed} onToggle={() => setRailChoice(!collapsed)} />}
      <div className="app-main">
        <header className="top-bar">
          <h1 className="top-bar-title">{tray ? t("app.title") : t(`nav.${view}`)}</h1>
          <div className="top-bar-end">
            {phone && !tray && <AvailabilityControl />}
            {phoneStatus && <StatusPill state={phoneStatus} />}
            <SyncStatus sync={sync} />
            {!tray && (
              <UserMenu
                name={session.user.name}
                email={session.user.email}
                role={isAdmin ? t("admin.roleAdmin") : t("admin.roleRegular")}
                language={settings.language}
                onLanguage={onLanguage}
                theme={settings.theme ?? "system"}
                onTheme={onTheme}
                onSignOut={signOut}
              />
            )}
          </div>
        </header>
        <main className={fills ? "app-content fill" : "app-content"} id="main-content">
          {linkNotice !== null && (
            <p className="banner banner-info" role="status" data-testid="link-notice">
              {linkNotice}
            </p>
          )}
          {isAdmin && planHasCaller && !tray && <LowBalanceBanner onOpen={() => setView("credits")} />}
          <Suspense fallback={<Skeleton lines={6} />}>{screen()}</Suspense>
          {crmViews.filter((section) => section === view || section === returnTo).map((section) => (
            <div key={section} className="crm-screen screen-fill" hidden={view !== section}>
              <Suspense fallback={<Skeleton lines={6} />}>
                <CrmPanel key={crmStarts[section] ?? 0} section={section} {...crm} onQueueBuilt={planHasCaller ? () => setView("phone") : undefined} />
              </Suspense>
            </div>
          ))}
        </main>
      </div>
    </div>
  );
  // One tree whether or not the phone exists yet: swapping the root when it arrives
  // would remount the whole shell (an open menu closes, a typed number is lost).
  return (
    <PhoneContext.Provider value={phone}>
      {phone && (
        <PhoneServices
          onCallCleared={() => {
            // The call started from a CRM page is done (outcome given or skipped): back to that page.
            if (returnTo !== null && currentView.current === "phone") setView(returnTo);
            setReturnTo(null);
          }}
        />
      )}
      {content}
      {phone && !tray && <LazyIncomingCallPop country={country} onAnswered={() => setView("phone")} />}
    </PhoneContext.Provider>
  );
}

const crmViews = ["history", "contacts", "deals"] as const;
type CrmView = (typeof crmViews)[number];
const isCrmView = (view: View): view is CrmView => (crmViews as readonly View[]).includes(view);

/** What runs whatever screen shows: the phone's state for the tray icon, the CRM link of a call, and the end of a call's screen. */
function PhoneServices({ onCallCleared }: { onCallCleared: () => void }) {
  const snapshot = usePhoneSnapshot();
  usePhoneDesktop(useApi(), snapshot);
  useCrmCallLink();
  const status = snapshot.call.status;
  const previous = useRef(status);
  const cleared = useRef(onCallCleared);
  useEffect(() => {
    cleared.current = onCallCleared;
  });
  useEffect(() => {
    if (previous.current === "ended" && status === "idle") cleared.current();
    previous.current = status;
  }, [status]);
  return null;
}

