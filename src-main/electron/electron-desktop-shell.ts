import type { App, GlobalShortcut } from "electron";
import type { DesktopShell } from "../core/desktop/desktop-shell";
import type { HotkeyAction } from "../../src-shared/desktop/hotkeys";
import { registerPlan } from "../../src-shared/desktop/hotkeys";
import { CallerError } from "../../src-shared/errors";

const schemes = ["callto", "tel"] as const;

export interface ElectronShellDeps {
  app: Pick<App, "setAsDefaultProtocolClient" | "removeAsDefaultProtocolClient" | "isDefaultProtocolClient" | "setLoginItemSettings">;
  globalShortcut: Pick<GlobalShortcut, "register" | "unregisterAll">;
  /** How this process was started: development (`electron .`) registers the script too. */
  launch: { defaultApp: boolean; execPath: string; appEntry: string | null };
  onHotkey: (action: HotkeyAction) => void;
  /** Linux has no login items: an XDG autostart entry instead (linux-autostart.ts). */
  setLinuxAutostart: ((on: boolean) => void) | null;
}

/**
 * The arguments Electron needs to register us: nothing for an installed app;
 * in development the Electron binary plus the app's entry, or the OS would
 * start bare Electron.
 */
export function protocolClientArgs(launch: ElectronShellDeps["launch"]): { path?: string; args?: string[] } {
  return launch.defaultApp && launch.appEntry ? { path: launch.execPath, args: [launch.appEntry] } : {};
}

/** The Electron shell's hands on the OS: protocol client, global shortcuts, login item. */
export function electronDesktopShell(deps: ElectronShellDeps): DesktopShell {
  const { path, args } = protocolClientArgs(deps.launch);
  return {
    hotkeyScope: "global",
    setLinkHandler(take, when) {
      for (const scheme of schemes) {
        if (take) {
          // Registering callto:/tel: is the feature: every link is parsed and refused unless dialable, and never dialed by itself.
          if (!deps.app.setAsDefaultProtocolClient(scheme, path, args)) { // eng-disable PROTOCOL_HANDLER_JS_CHECK see above
            return Promise.reject(new CallerError("os_refused", `the OS did not make Caller the handler for ${scheme}: links`));
          }
        } else if (when === "change" || deps.app.isDefaultProtocolClient(scheme, path, args)) {
          // "false" here only means we were not the handler; nothing is left to let go of.
          deps.app.removeAsDefaultProtocolClient(scheme, path, args);
        }
      }
      return Promise.resolve({ state: take ? "registered" : "released", detail: null });
    },
    applyHotkeys(plan) {
      deps.globalShortcut.unregisterAll();
      return registerPlan(plan, (accelerator, action) => {
        try {
          return deps.globalShortcut.register(accelerator, () => deps.onHotkey(action));
        } catch {
          // Electron throws on an accelerator it cannot parse; the plan already refused those we know of.
          return false;
        }
      }).filter((problem) => problem.reason === "taken");
    },
    setStartAtLogin(on) {
      if (deps.setLinuxAutostart) deps.setLinuxAutostart(on);
      else deps.app.setLoginItemSettings({ openAtLogin: on, args: ["--hidden"] });
    },
  };
}
