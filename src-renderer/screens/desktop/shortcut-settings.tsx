import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { DesktopState } from "../../../src-shared/api/areas/desktop";
import { defaultHotkeys, hotkeyActions, type HotkeyBindings, type HotkeyProblem } from "../../../src-shared/desktop/hotkeys";
import { assertNever } from "../../../src-shared/assert-never";
import { useApi } from "../../api-context";
import { Button } from "../../components/ui/button";
import { Switch } from "../../components/ui/switch";
import { useToast } from "../../components/ui/toast";
import { describeError } from "../../i18n/i18n";
import { ShortcutRecorder } from "./shortcut-recorder";
import { formatAccelerator } from "../../../src-shared/desktop/accelerator-display";

/** Shortcut settings: one field per action, every problem (invalid, duplicate, taken by the OS) shown by its field. */
export function ShortcutSettings({ state, shell }: { state: DesktopState; shell: "electron" | "node-host" }) {
  const { t } = useTranslation();
  const api = useApi();
  const [draft, setDraft] = useState<HotkeyBindings>(state.settings.hotkeys);
  const [saved, setSaved] = useState(false);
  const toast = useToast();
  useEffect(() => setDraft(state.settings.hotkeys), [state.settings.hotkeys]);
  const failed = (e: unknown) => toast.error(t("errorsUi.saveFailed", { message: describeError(t, e) }));

  const save = (hotkeys: HotkeyBindings) => {
    setSaved(false);
    api
      .updateDesktopSettings({ hotkeys })
      .then(() => setSaved(true))
      .catch(failed);
  };
  const problemText = (problem: HotkeyProblem) => {
    switch (problem.reason) {
      case "taken":
        return t("desktop.problem.taken", { accelerator: formatAccelerator(problem.accelerator, state.platform) });
      case "duplicate":
        return t("desktop.problem.duplicate", { accelerator: formatAccelerator(problem.accelerator, state.platform), other: t(`desktop.action.${problem.other}`) });
      case "invalid":
        return t("desktop.problem.invalid", { accelerator: formatAccelerator(problem.accelerator, state.platform), detail: t(`desktop.acceleratorProblem.${problem.detail}`) });
      default:
        return assertNever(problem, "hotkey problem");
    }
  };

  return (
    <section className="desktop-settings" data-testid="shortcut-settings" aria-labelledby="shortcut-settings-title">
      <h2 id="shortcut-settings-title">{t("desktop.shortcuts.title")}</h2>
      <p className="hint">{state.hotkeyScope === "global" ? t("desktop.shortcuts.scopeGlobal") : t("desktop.shortcuts.scopeWindow")}</p>
      <p className="hint" data-testid="link-handler-state">
        {t(`desktop.links.${state.linkHandler.state}`, { detail: state.linkHandler.detail ?? "" })}
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save(draft);
        }}
      >
        {hotkeyActions.map((action) => {
          const problems = state.hotkeyProblems.filter((p) => p.action === action);
          return (
            <div key={action} className="shortcut-row">
              <label htmlFor={`hotkey-${action}`}>{t(`desktop.action.${action}`)}</label>
              <ShortcutRecorder
                id={`hotkey-${action}`}
                testId={`hotkey-${action}`}
                value={draft[action] ?? null}
                platform={state.platform}
                label={t(`desktop.action.${action}`)}
                invalid={problems.length > 0}
                onChange={(accelerator) => setDraft({ ...draft, [action]: accelerator })}
              />
              {problems.map((problem) => (
                <p key={problem.reason} className="error" role="alert" data-testid={`hotkey-problem-${action}`}>
                  {problemText(problem)}
                </p>
              ))}
            </div>
          );
        })}
        <p className="hint">{t("desktop.shortcuts.hint")}</p>
        <div className="shortcut-actions">
          <Button type="submit" variant="primary">
            {t("desktop.shortcuts.save")}
          </Button>
          <Button onClick={() => save(defaultHotkeys)}>{t("desktop.shortcuts.reset")}</Button>
          {saved && <span role="status">{t("desktop.shortcuts.saved")}</span>}
        </div>
      </form>
      {shell === "electron" ? (
        <Switch checked={state.settings.startAtLogin} onCheckedChange={(startAtLogin) => void api.updateDesktopSettings({ startAtLogin }).catch(failed)} label={t("desktop.shortcuts.startAtLogin")} />
      ) : (
        <NotificationPermission />
      )}
    </section>
  );
}

/** The browser asks once; the Electron shell allows notifications for our page itself. */
function NotificationPermission() {
  const { t } = useTranslation();
  const supported = typeof Notification !== "undefined";
  const [permission, setPermission] = useState(supported ? Notification.permission : "denied");
  if (!supported) return null;
  if (permission === "granted") return <p className="hint">{t("desktop.shortcuts.notificationsOn")}</p>;
  if (permission === "denied") return <p className="hint">{t("desktop.shortcuts.notificationsBlocked")}</p>;
  return (
    // requestPermission only answers (granted, denied, default); it does not fail.
    <button type="button" onClick={() => void Notification.requestPermission().then(setPermission)}>
      {t("desktop.shortcuts.notifications")}
    </button>
  );
}
