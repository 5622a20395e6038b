import type { i18n } from "i18next";
import type { SessionState, Settings, SyncState } from "../../src-shared/api/contract";
import type { CallerApi } from "../bridge/api";
import { applyTheme } from "../components/shell/theme";
import { createI18n, systemLanguage } from "../i18n/i18n";
import { markStart } from "./start-marks";

export interface FirstAnswers {
  session: SessionState;
  settings: Settings;
  sync: SyncState;
  i18n: i18n;
}

/**
 * What the app needs before it can draw anything: session, settings, sync state and
 * the words in the chosen language. Called as the script starts (not after React's
 * first commit), so the socket opens and the three questions travel while React
 * mounts; each one is answered on its own, none waits for another.
 */
export async function loadFirstAnswers(api: CallerApi): Promise<FirstAnswers> {
  const session = api.getSession({}).then((answer) => {
    markStart("session-known");
    return answer;
  });
  const [settings, sync] = await Promise.all([api.getSettings({}), api.getSyncState({})]);
  applyTheme(settings.theme ?? "system");
  const words = await createI18n(settings.language ?? systemLanguage(navigator.languages));
  markStart("i18n-ready");
  return { session: await session, settings, sync, i18n: words };
}

export type FirstResult = { ok: true; answers: FirstAnswers } | { ok: false; error: unknown };

/** The same, as a result that never rejects: it is started before the App that shows its failure (with Retry) exists. */
export function startFirstAnswers(api: CallerApi): Promise<FirstResult> {
  return loadFirstAnswers(api).then(
    (answers): FirstResult => ({ ok: true, answers }),
    (error: unknown): FirstResult => ({ ok: false, error }),
  );
}
