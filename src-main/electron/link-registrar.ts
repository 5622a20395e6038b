import type { App } from "electron";
import { CallerError } from "../../src-shared/errors";
import { linkSchemes, type LinkScheme, type WindowsLinkChoice } from "./windows-link-choice";

/**
 * One platform's way to take and let go of callto:/tel:. Each step checks what
 * the OS says afterwards, so "registered" and "released" are never claimed on
 * a call's return value alone.
 */
export interface LinkRegistrar {
  /** True while the OS sends both callto: and tel: links to us. */
  holds(): Promise<boolean>;
  /** Throws a CallerError("os_refused") when the OS does not make us the handler. */
  take(): Promise<void>;
  /** Throws a CallerError("os_refused") when the OS still sends links to us afterwards. */
  release(): Promise<void>;
}

export type ProtocolApp = Pick<App, "setAsDefaultProtocolClient" | "removeAsDefaultProtocolClient" | "isDefaultProtocolClient">;

/** The `path`/`args` Electron registers: none for an installed app; Electron plus the app's folder in development. */
export interface ProtocolTarget {
  path?: string;
  args?: string[];
}

/**
 * macOS: Launch Services answers truthfully (LSCopyDefaultHandlerForURLScheme),
 * and removing hands the scheme to the next app that claims it (shell/browser/browser_mac.mm:159-204).
 */
export function electronLinkRegistrar(app: ProtocolApp, target: ProtocolTarget): LinkRegistrar {
  const { path, args } = target;
  const isOurs = (scheme: LinkScheme) => app.isDefaultProtocolClient(scheme, path, args);
  return {
    holds: () => Promise.resolve(linkSchemes.every(isOurs)),
    take() {
      for (const scheme of linkSchemes) {
        // Registering callto:/tel: is the feature: every link is parsed and refused unless dialable, and never dialed by itself.
        if (!app.setAsDefaultProtocolClient(scheme, path, args)) { // eng-disable PROTOCOL_HANDLER_JS_CHECK see above
          return Promise.reject(new CallerError("os_refused", `the OS did not make Caller the handler for ${scheme}: links`));
        }
      }
      return Promise.resolve();
    },
    release() {
      for (const scheme of linkSchemes) {
        if (isOurs(scheme)) app.removeAsDefaultProtocolClient(scheme, path, args);
      }
      const left = linkSchemes.filter(isOurs);
      return left.length > 0 ? Promise.reject(new CallerError("os_refused", `the OS still opens ${left.join(": and ")}: links with Caller`)) : Promise.resolve();
    },
  };
}

/**
 * Windows: Electron writes and reads only HKCU\Software\Classes\<scheme>
 * (shell/browser/browser_win.cc:474-567), but Windows 10/11 open a link with
 * the app in UserChoice when there is one, which only the user can set (Settings ›
 * Default apps). So the registration is Electron's plus the installer's
 * (build/installer.nsh), and the verdict is UserChoice's.
 */
export function windowsLinkRegistrar(app: ProtocolApp, target: ProtocolTarget, choice: WindowsLinkChoice): LinkRegistrar {
  const { path, args } = target;
  const opensWithUs = async (scheme: LinkScheme): Promise<boolean> => {
    const progId = await choice.userChoice(scheme);
    return progId === null ? app.isDefaultProtocolClient(scheme, path, args) : choice.isOurs(progId);
  };
  const others = async () => {
    const result: string[] = [];
    for (const scheme of linkSchemes) {
      const progId = await choice.userChoice(scheme);
      if (progId !== null && !choice.isOurs(progId)) result.push(`${scheme}: ${progId}`);
    }
    return result;
  };
  return {
    async holds() {
      for (const scheme of linkSchemes) if (!(await opensWithUs(scheme))) return false;
      return true;
    },
    async take() {
      for (const scheme of linkSchemes) {
        if (!app.setAsDefaultProtocolClient(scheme, path, args)) { // eng-disable PROTOCOL_HANDLER_JS_CHECK registering callto:/tel: is the feature (see electronLinkRegistrar)
          throw new CallerError("os_refused", `Windows did not accept Caller as a handler for ${scheme}: links`);
        }
      }
      const elsewhere = await others();
      if (elsewhere.length > 0) {
        throw new CallerError("os_refused", `Windows opens these links with another app (${elsewhere.join(", ")}); choose Caller Desktop for them in Settings › Apps › Default apps`);
      }
    },
    async release() {
      for (const scheme of linkSchemes) app.removeAsDefaultProtocolClient(scheme, path, args);
      const left: LinkScheme[] = [];
      for (const scheme of linkSchemes) if (await opensWithUs(scheme)) left.push(scheme);
      if (left.length > 0) {
        throw new CallerError("os_refused", `Windows still opens ${left.join(": and ")}: links with Caller Desktop (your choice in Settings › Apps › Default apps); choose another app there`);
      }
    },
  };
}

/** Linux: the xdg-utils registration the Node host uses (src-main/host/xdg-link-handler.ts). */
export function xdgLinkRegistrar(xdg: { holdsLinks(): Promise<boolean>; setLinkHandler(wanted: boolean): Promise<unknown> }): LinkRegistrar {
  return {
    holds: () => xdg.holdsLinks(),
    take: async () => void (await xdg.setLinkHandler(true)),
    release: async () => void (await xdg.setLinkHandler(false)),
  };
}
