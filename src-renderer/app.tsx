import { lazy, Suspense, useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Language, Settings, Theme } from "../src-shared/api/contract";
import type { CallerApi } from "./bridge/api";
import { useApi } from "./api-context";
import { AppProviders } from "./app-providers";
import { applyTheme } from "./components/shell/theme";
import { useToast } from "./components/ui/toast";
import { describeError, systemLanguage } from "./i18n/i18n";
import { startFirstAnswers, type FirstAnswers, type FirstResult } from "./start/first-answers";
import { markStart } from "./start/start-marks";
import { useServerChangeRefresh } from "./query/server-change-refresh";
import { SignIn } from "./screens/sign-in";
import { Workspace } from "./screens/workspace";
import { Skeleton } from "./components/ui/spinner";

// The operator's pages (and the schemas they validate with) stay out of the dialer's first paint.
const OperatorHome = lazy(() => import("./screens/operator/operator-home").then((m) => ({ default: m.OperatorHome })));

type Loaded = FirstAnswers;

/**
 * Loads session, settings and language, then shows sign-in, the workspace or the operator's pages inside the app's providers.
 * `first` is that load already under way (started with the script); a retry loads again.
 */
export function App({ api, first }: { api: CallerApi; first?: Promise<FirstResult> }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const started = useRef(first);

  useEffect(() => {
    markStart("first-render");
    const offSession = api.on("sessionChanged", (session) => setLoaded((now) => now && { ...now, session }));
    const offSync = api.on("syncChanged", (sync) => {
      if (sync.status === "idle") markStart("first-sync");
      setLoaded((now) => now && { ...now, sync });
    });
    // Taken once: StrictMode's second run of this effect, and a retry, ask again.
    const answers = started.current ?? startFirstAnswers(api);
    started.current = undefined;
    void answers.then((result) => {
      if (!result.ok) return setFailure(result.error);
      setLoaded(result.answers);
      setFailure(null);
    });
    return () => {
      offSession();
      offSync();
    };
  }, [api, attempt]);

  if (!loaded) return failure === null ? <p className="loading">…</p> : <StartFailure error={failure} onRetry={() => setAttempt((n) => n + 1)} />;
  return (
    <AppProviders api={api} i18n={loaded.i18n}>
      <SignedIn loaded={loaded} onSettings={(settings) => setLoaded((now) => now && { ...now, settings })} />
    </AppProviders>
  );
}

/** Before i18n exists there are no words to translate: the start failure is in both languages. */
function StartFailure({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <div className="loading" role="alert">
      <p>Caller could not start / Caller を起動できませんでした: {error instanceof Error ? error.message : String(error)}</p>
      <button type="button" onClick={onRetry}>
        Retry / 再試行
      </button>
    </div>
  );
}

/** Language and theme follow the settings; a failed switch says so. */
function SignedIn({ loaded, onSettings }: { loaded: Loaded; onSettings: (settings: Settings) => void }) {
  const { session, settings, sync, i18n } = loaded;
  const toast = useToast();
  const { t } = useTranslation();
  const apiValue = useApi();
  const language = settings.language ?? systemLanguage(navigator.languages);
  useServerChangeRefresh(sync.lastSeq);

  useEffect(() => {
    document.documentElement.lang = language;
    if (i18n.language !== language) void i18n.changeLanguage(language).catch((e: unknown) => toast.error(t("userMenu.languageFailed", { message: describeError(t, e) })));
  }, [i18n, language, t, toast]);

  const chooseLanguage = useCallback(
    (choice: Language | null) => {
      apiValue
        .updateSettings({ language: choice })
        .then(onSettings)
        .catch((e: unknown) => toast.error(t("userMenu.languageFailed", { message: describeError(t, e) })));
    },
    [apiValue, onSettings, t, toast],
  );
  const chooseTheme = useCallback(
    (theme: Theme) => {
      applyTheme(theme);
      apiValue
        .updateSettings({ theme })
        .then(onSettings)
        .catch((e: unknown) => {
          applyTheme(settings.theme ?? "system");
          toast.error(t("userMenu.themeFailed", { message: describeError(t, e) }));
        });
    },
    [apiValue, onSettings, settings.theme, t, toast],
  );

  return session.signedIn ? (
    <Workspace session={session} settings={settings} sync={sync} onLanguage={chooseLanguage} onTheme={chooseTheme} />
  ) : session.operator ? (
    <Suspense fallback={<Skeleton lines={6} />}>
      <OperatorHome operator={session.operator} settings={settings} onLanguage={chooseLanguage} />
    </Suspense>
  ) : (
    <SignIn defaultServerUrl={session.serverUrl} />
  );
}
