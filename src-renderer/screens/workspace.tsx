import { useEffect, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { DialRequest, Language, SessionState, Settings, SyncState } from "../../src-shared/api/contract";
import { useApi } from "../api-context";
import { TopBar, type View } from "../components/top-bar";
import { PhoneUnavailable, RegistrationStatus } from "../components/registration-status";
import type { Phone } from "../phone/phone";
import { PhoneContext, usePhoneSnapshot } from "../phone/phone-context";
import { useSoftphone } from "../phone/use-softphone";
import { Dialer } from "./dialer";
import { CallScreen } from "./call-screen";
import { PendingOutcomePrompt } from "./call-outcome";
import { CallDevices } from "./call-devices";
import { CrmPanel } from "./crm/crm-panel";
import { AdminHome } from "./admin-home";
import { ShortcutSettings } from "./desktop/shortcut-settings";
import { focusDialer, isTrayWindow, useWorkspaceDesktop } from "./desktop/use-workspace-desktop";
import { usePhoneDesktop } from "./desktop/use-phone-desktop";
import { LowBalanceBanner } from "./credits/low-balance-banner";
import { PersonalSettings } from "./personal/personal-settings";
import { RecordChoice } from "./recording-controls";
import { RecordingUploads } from "./recording-uploads";

type SignedIn = Extract<SessionState, { signedIn: true }>;

export function Workspace({ session, settings, sync, onLanguage }: { session: SignedIn; settings: Settings; sync: SyncState | null; onLanguage: (l: Language | null) => void }) {
  const api = useApi();
  const [view, setView] = useState<View>("phone");
  const [number, setNumber] = useState("");
  const [linkNotice, setLinkNotice] = useState<string | null>(null);
  const { t } = useTranslation();
  const isAdmin = session.user.role === "admin";
  // The tray's small dialer runs no softphone (it would register a second SIP contact): its Call goes to the main window.
  const tray = isTrayWindow();
  const { phone, configError } = useSoftphone(api, session.callerEnabled && !tray);
  const [autoDial, setAutoDial] = useState<AutoDial | null>(null);
  const country = settings.defaultCountry ?? session.company.country;
  const desktop = useWorkspaceDesktop(api, phone, () => setView("phone"));

  useEffect(() => {
    const show = (request: DialRequest | null) => {
      if (!request) return;
      setView("phone");
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
      // Taken, so a reload does not prefill it again.
      void api.takeDialRequest({});
      show(request);
    });
    void api.takeDialRequest({}).then(show);
    return off;
  }, [api, t]);

  // The tray's small dialer is the same page: recent calls and contacts stay, settings do not.
  const history = (
    <div className="phone-side">
      <RecordingUploads />
      <CrmPanel currency={session.company.currency} timeZone={session.company.timeZone} sync={sync} />
      {desktop.state && desktop.shell && !isTrayWindow() && <ShortcutSettings state={desktop.state} shell={desktop.shell} />}
    </div>
  );
  const dialer = (onCall?: (e164: string) => void, callError?: string | null) => (
    <Dialer defaultCountry={country} callerEnabled={session.callerEnabled} number={number} onNumberChange={setNumber} onCall={onCall} callError={callError} />
  );

  return (
    <div className={isTrayWindow() ? "workspace tray" : "workspace"}>
      <TopBar
        userName={session.user.name}
        isAdmin={isAdmin}
        view={view}
        onView={setView}
        language={settings.language}
        onLanguage={onLanguage}
        sync={sync}
        onSignOut={() => void api.signOut({})}
      />
      {configError !== null && <PhoneUnavailable error={configError} />}
      {linkNotice !== null && (
        <p className="link-notice" role="status" data-testid="link-notice">
          {linkNotice}
        </p>
      )}
      {isAdmin && <LowBalanceBanner syncSeq={sync?.lastSeq} onOpen={() => setView("admin")} />}
      {view === "admin" && isAdmin ? (
        <AdminHome company={session.company} />
      ) : view === "personal" ? (
        <PersonalSettings company={session.company} defaultCountry={country} onBack={() => setView("phone")} />
      ) : phone ? (
        <PhoneContext.Provider value={phone}>
          <PhoneArea phone={phone} country={country} dialer={dialer} history={history} autoDial={autoDial} onConnectNumber={() => setView("personal")} />
        </PhoneContext.Provider>
      ) : (
        <main className="phone">
          {dialer(tray ? (e164) => void api.dialText({ text: e164, source: "tray", placeCall: true }).catch(() => undefined) : undefined)}
          {history}
        </main>
      )}
    </div>
  );
}

interface PhoneAreaProps {
  phone: Phone;
  country: string;
  dialer: (onCall: (e164: string) => void, callError: string | null) => ReactNode;
  history: ReactNode;
  /** A call the tray dialer handed over: placed once, when the phone is idle. */
  autoDial: AutoDial | null;
  onConnectNumber: () => void;
}

interface AutoDial {
  number: string;
  at: number;
}

/** Registration always visible; the call screen takes the dialer's place while a call is on or just ended. */
function PhoneArea({ phone, country, dialer, history, autoDial, onConnectNumber }: PhoneAreaProps) {
  const { t } = useTranslation();
  const snapshot = usePhoneSnapshot();
  const { call } = snapshot;
  usePhoneDesktop(useApi(), snapshot);
  const [callError, setCallError] = useState<string | null>(null);
  const onCall = (e164: string) => {
    const refused = phone.dial(e164, country);
    if (refused === null) setCallError(null);
    else if (refused === "not_registered") setCallError(t("call.notRegistered"));
    else if (refused === "busy") setCallError(t("call.busyLine"));
    else setCallError(t("call.cannotDial", { reason: t(`numberProblem.${refused}`) }));
  };
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
      <RegistrationStatus />
      <main className="phone">
        <div className="phone-column">
          {call.status === "idle" ? dialer(onCall, callError) : <CallScreen />}
          {call.status === "idle" && <RecordChoice />}
          {call.status === "idle" && <PendingOutcomePrompt />}
          {call.status === "ended" && call.end.by === "failure" && call.end.reason === "number_not_verified" && (
            <button type="button" className="primary" data-testid="connect-number-link" onClick={onConnectNumber}>
              {t("personal.connectNumberLink")}
            </button>
          )}
          <CallDevices />
        </div>
        {history}
      </main>
    </>
  );
}
