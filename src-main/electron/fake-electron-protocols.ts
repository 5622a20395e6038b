import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

/** What the fake reads and keeps of the OS's protocol handlers: the fake Electron's own state. */
export interface ProtocolState {
  log: string[];
  platform: "linux" | "darwin" | "win32";
  desktopName: string;
  macHandlers: Map<string, string>;
  macOtherApp: string;
  windowsClasses: Map<string, string>;
  registry: Map<string, string>;
}

/**
 * Electron's protocol-client methods per platform, as its own code behaves
 * (cited at each), and the Windows registry the shell reads beside them.
 */
export function fakeProtocolClients(state: ProtocolState) {
  const windowsCommand = (exe?: string, args: string[] = []) => [`"${exe ?? "C:\\Program Files\\Caller Desktop\\Caller Desktop.exe"}"`, ...args.map((a) => `"${a}"`), '"%1"'].join(" ");
  const installedEntry = (id: string) =>
    [process.env.XDG_DATA_HOME, ...(process.env.XDG_DATA_DIRS ?? "").split(":")].some((dir) => dir && existsSync(path.join(dir, "applications", id)));
  const xdgDefault = (scheme: string) => execFileSync("xdg-mime", ["query", "default", `x-scheme-handler/${scheme}`], { env: process.env }).toString().trim();

  /** Windows' registry as reg.exe would read it (for windows-link-choice.ts's RegistryRead). */
  const readRegistry = (key: string, value: string) => Promise.resolve(state.registry.get(`${key}\\${value}`.toLowerCase()) ?? null);
  /** What the user picked in Settings › Default apps (HKCU\…\UrlAssociations\<scheme>\UserChoice ProgId); null: never picked. */
  const setUserChoice = (scheme: string, progId: string | null) => {
    const key = `HKCU\\Software\\Microsoft\\Windows\\Shell\\Associations\\UrlAssociations\\${scheme}\\UserChoice\\ProgId`.toLowerCase();
    if (progId === null) state.registry.delete(key);
    else state.registry.set(key, progId);
  };

  const appMethods = {
  setAsDefaultProtocolClient: (scheme: string, exe?: string, args?: string[]) => {
    state.log.push(`setAsDefaultProtocolClient ${scheme}`);
    switch (state.platform) {
      case "darwin":
        state.macHandlers.set(scheme, "us");
        return true;
      case "win32":
        // HKCU\Software\Classes\<scheme>\shell\open\command only (browser_win.cc:474-533).
        state.windowsClasses.set(scheme, windowsCommand(exe, args));
        return true;
      case "linux":
        // Needs an installed entry named CHROME_DESKTOP (browser_linux.cc:44-63).
        if (!installedEntry(state.desktopName)) return false;
        execFileSync("xdg-mime", ["default", state.desktopName, `x-scheme-handler/${scheme}`], { env: process.env });
        return true;
    }
  },
  removeAsDefaultProtocolClient: (scheme: string, exe?: string, args?: string[]) => {
    state.log.push(`removeAsDefaultProtocolClient ${scheme}`);
    switch (state.platform) {
      case "darwin":
        // Hands the scheme to the next app that claims it (browser_mac.mm:159-204).
        if (state.macHandlers.get(scheme) !== "us") return false;
        state.macHandlers.set(scheme, state.macOtherApp);
        return true;
      case "win32":
        if (state.windowsClasses.get(scheme) === windowsCommand(exe, args)) state.windowsClasses.delete(scheme);
        return true;
      case "linux":
        // "Todo implement" (browser_linux.cc:199-204).
        return false;
    }
  },
  isDefaultProtocolClient: (scheme: string, exe?: string, args?: string[]) => {
    switch (state.platform) {
      case "darwin":
        return state.macHandlers.get(scheme) === "us";
      case "win32":
        // Reads Classes only, never UserChoice (browser_win.cc:535-567).
        return state.windowsClasses.get(scheme) === windowsCommand(exe, args);
      case "linux":
        return xdgDefault(scheme) === state.desktopName;
    }
  },
  };
  return { appMethods, readRegistry, setUserChoice };
}
