import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { DesktopState } from "../../../src-shared/api/areas/desktop";
import { defaultHotkeys, hotkeyActions, type HotkeyBindings, type HotkeyProblem } from "../../../src-shared/desktop/hotkeys";
import { assertNever } from "../../../src-shared/assert-never";
import { useApi } from "../../api-context";

/** Shortcut settings: one field per action, every problem (invalid, duplicate, taken by the OS) shown by its field. */
export function ShortcutSettings({ state, shell }: { state: DesktopState; shell: "electron" | "node-host" }) {
  const { t } = useTranslation();
  const api = useApi();
  const [draft, setDraft] = useState<HotkeyBindings>(state.settings.hotkeys);
  const [saved, setSaved] = useState(false);
  useEffect(() => setDraft(state.settings.hotkeys), [state.settings.hotkeys]);

  const save = (hotkeys: HotkeyBindings) => {
    setSaved(false);
    void api.updateDesktopSettings({ hotkeys }).then(() => setSaved(true));
  };
  const problemText = (problem: HotkeyProblem) => {
    switch (problem.reason) {
      case "taken":
        return t("desktop.problem.taken", { accelerator: problem.accelerator });
      case "duplicate":
        return t("desktop.problem.duplicate", { accelerator: problem.accelerator, other: t(`desktop.action.${problem.other}`) });
      case "invalid":
        return t("desktop.problem.invalid", { accelerator: problem.accelerator, detail: t(`desktop.acceleratorProblem.${problem.detail}`) });
      default:
        return assertNever(problem, "hotkey problem");
    }
  };

  return (
    <details className="desktop-settings" data-testid="shortcut-settings">
      <summary>{t("desktop.shortcuts.title")}</summary>
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
              <input
                id={`hotkey-${action}`}
                data-testid={`hotkey-${action}`}
                value={draft[action] ?? ""}
                placeholder={t("desktop.shortcuts.none")}
                aria-invalid={problems.length > 0}
                onChange={(e) => setDraft({ ...draft, [action]: e.target.value.trim() === "" ? null : e.target.value })}
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
          <button type="submit">{t("desktop.shortcuts.save")}</button>
          <button type="button" onClick={() => save(defaultHotkeys)}>
            {t("desktop.shortcuts.reset")}
          </button>
          {saved && <span role="status">{t("desktop.shortcuts.saved")}</span>}
        </div>
      </form>
      {shell === "electron" ? (
        <label>
          <input type="checkbox" checked={state.settings.startAtLogin} onChange={(e) => void api.updateDesktopSettings({ startAtLogin: e.target.checked })} />{" "}
          {t("desktop.shortcuts.startAtLogin")}
        </label>
      ) : (
        <NotificationPermission />
      )}
    </details>
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
    <button type="button" onClick={() => void Notification.requestPermission().then(setPermission)}>
      {t("desktop.shortcuts.notifications")}
    </button>
  );
}
