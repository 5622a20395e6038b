import type { App, GlobalShortcut } from "electron";
import type { DesktopShell } from "../core/desktop/desktop-shell";
import type { HotkeyAction } from "../../src-shared/desktop/hotkeys";
import { registerPlan } from "../../src-shared/desktop/hotkeys";
import type { LinkRegistrar } from "./link-registrar";

/** Whether this app has taken the links before; a start then takes them again only while it still has them. */
export interface LinkClaim {
  read(): boolean;
  write(claimed: boolean): void;
}

export interface ElectronShellDeps {
  app: Pick<App, "setLoginItemSettings">;
  globalShortcut: Pick<GlobalShortcut, "register" | "unregisterAll">;
  /** This platform's way to take and let go of callto:/tel: (link-registrar.ts). */
  links: LinkRegistrar;
  claim: LinkClaim;
  onHotkey: (action: HotkeyAction) => void;
  /** Linux has no login items: an XDG autostart entry instead (linux-autostart.ts). */
  setLinuxAutostart: ((on: boolean) => void) | null;
}

/**
 * The arguments Electron needs to register us: nothing for an installed app;
 * in development the Electron binary plus the app's folder, or the OS would
 * start bare Electron.
 */
export function protocolClientArgs(launch: { defaultApp: boolean; execPath: string; appEntry: string | null }): { path?: string; args?: string[] } {
  return launch.defaultApp && launch.appEntry ? { path: launch.execPath, args: [launch.appEntry] } : {};
}

/** The Electron shell's hands on the OS: protocol client, global shortcuts, login item. */
export function electronDesktopShell(deps: ElectronShellDeps): DesktopShell {
  const { links, claim } = deps;
  return {
    hotkeyScope: "global",
    async setLinkHandler(take, when) {
      if (take) {
        // A start refreshes a registration it still holds; once another app (FaceTime, a CRM's dialer) took the links, that choice stands.
        if (when === "start" && claim.read() && !(await links.holds())) return { state: "released", detail: null };
        await links.take();
        claim.write(true);
        return { state: "registered", detail: null };
      }
      if (when === "start" && !(await links.holds())) {
        claim.write(false);
        return { state: "released", detail: null };
      }
      await links.release();
      claim.write(false);
      return { state: "released", detail: null };
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
