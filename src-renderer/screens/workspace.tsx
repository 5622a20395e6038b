import { useEffect, useState } from "react";
import type { DialRequest, Language, SessionState, Settings, SyncState } from "../../src-shared/api/contract";
import { useApi } from "../api-context";
import { TopBar, type View } from "../components/top-bar";
import { Dialer } from "./dialer";
import { History } from "./history";
import { AdminHome } from "./admin-home";

type SignedIn = Extract<SessionState, { signedIn: true }>;

export function Workspace({ session, settings, sync, onLanguage }: { session: SignedIn; settings: Settings; sync: SyncState | null; onLanguage: (l: Language | null) => void }) {
  const api = useApi();
  const [view, setView] = useState<View>("phone");
  const [number, setNumber] = useState("");
  const isAdmin = session.user.role === "admin";

  useEffect(() => {
    const show = (request: DialRequest | null) => {
      if (!request) return;
      setView("phone");
      setNumber(request.number);
    };
    const off = api.on("dialRequested", (request) => {
      // Taken, so a reload does not prefill it again.
      void api.takeDialRequest({});
      show(request);
    });
    void api.takeDialRequest({}).then(show);
    return off;
  }, [api]);

  return (
    <div className="workspace">
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
      {view === "admin" && isAdmin ? (
        <AdminHome company={session.company} />
      ) : (
        <main className="phone">
          <Dialer defaultCountry={settings.defaultCountry ?? session.company.country} callerEnabled={session.callerEnabled} number={number} onNumberChange={setNumber} />
          <History currency={session.company.currency} timeZone={session.company.timeZone} sync={sync} />
        </main>
      )}
    </div>
  );
}
