import { useCallback, useEffect, useState } from "react";
import { I18nextProvider } from "react-i18next";
import type { i18n } from "i18next";
import type { Language, SessionState, Settings, SyncState } from "../src-shared/api/contract";
import type { CallerApi } from "./bridge/api";
import { ApiContext } from "./api-context";
import { createI18n, systemLanguage } from "./i18n/i18n";
import { OperatorHome } from "./screens/operator/operator-home";
import { SignIn } from "./screens/sign-in";
import { Workspace } from "./screens/workspace";

/** Loads session, settings and language, then shows sign-in, the workspace, or the operator's pages. */
export function App({ api }: { api: CallerApi }) {
  const [session, setSession] = useState<SessionState | null>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [sync, setSync] = useState<SyncState | null>(null);
  const [i18n, setI18n] = useState<i18n | null>(null);

  useEffect(() => {
    const offSession = api.on("sessionChanged", setSession);
    const offSync = api.on("syncChanged", setSync);
    void Promise.all([api.getSession({}), api.getSettings({}), api.getSyncState({})]).then(async ([s, st, sy]) => {
      setSession(s);
      setSettings(st);
      setSync(sy);
      setI18n(await createI18n(st.language ?? systemLanguage(navigator.languages)));
    });
    return () => {
      offSession();
      offSync();
    };
  }, [api]);

  const language = settings ? (settings.language ?? systemLanguage(navigator.languages)) : null;
  useEffect(() => {
    if (!i18n || !language) return;
    document.documentElement.lang = language;
    if (i18n.language !== language) void i18n.changeLanguage(language);
  }, [i18n, language]);

  const chooseLanguage = useCallback(
    (choice: Language | null) => {
      void api.updateSettings({ language: choice }).then(setSettings);
    },
    [api],
  );

  if (!session || !settings || !i18n) return <p className="loading">…</p>;
  return (
    <ApiContext.Provider value={api}>
      <I18nextProvider i18n={i18n}>
        {session.signedIn ? (
          <Workspace session={session} settings={settings} sync={sync} onLanguage={chooseLanguage} />
        ) : session.operator ? (
          <OperatorHome operator={session.operator} settings={settings} onLanguage={chooseLanguage} />
        ) : (
          <SignIn defaultServerUrl={session.serverUrl} />
        )}
      </I18nextProvider>
    </ApiContext.Provider>
  );
}
