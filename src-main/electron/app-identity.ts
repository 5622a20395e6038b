import path from "node:path";
import type { App } from "electron";

/**
 * Who the app is to each OS. package.json (productName, desktopName) and
 * electron-builder.yml (appId, StartupWMClass) say the same; app-identity.test.ts keeps them equal.
 */
export const appIdentity = {
  productName: "Caller Desktop",
  /** electron-builder's appId: the macOS bundle id and the AppUserModelID of the NSIS shortcut. */
  appId: "com.example.CallerDesktop",
  /** Linux: the .desktop file's name; Electron makes it the Wayland app_id, the X11 WM_CLASS and the portal's app id. */
  desktopName: "com.example.CallerDesktop.desktop",
  /** The userData folder in the OS's app-data dir: the name the Node host's data dir has. */
  dataDirName: "caller-desktop",
} as const;

/** WM_CLASS and app_id: the desktop name without ".desktop" (shell/browser/native_window_views.cc:321-329). */
export const windowClass = appIdentity.desktopName.replace(/\.desktop$/, "");

export type IdentityApp = Pick<App, "setName" | "getPath" | "setPath" | "setDesktopName" | "setAppUserModelId"> & {
  commandLine: Pick<App["commandLine"], "hasSwitch">;
};

/**
 * Names the app before anything reads the name: `electron <file>` with no
 * package.json beside it keeps "Electron" (default_app/main.ts:90-143), and
 * userData (appData/<name>) is fixed at its first read, which
 * requestSingleInstanceLock makes (electron_paths.cc:27-33, electron_api_app.cc:1059).
 */
export function applyAppIdentity(app: IdentityApp, platform: NodeJS.Platform): void {
  app.setName(appIdentity.productName);
  // An explicit --user-data-dir (tests, a second profile) stays the user's choice.
  if (!app.commandLine.hasSwitch("user-data-dir")) app.setPath("userData", path.join(app.getPath("appData"), appIdentity.dataDirName));
  // Must precede `ready`; the GlobalShortcuts portal refuses app ids that are not reverse-DNS (docs/api/global-shortcut.md "Usage on Linux").
  if (platform === "linux") app.setDesktopName(appIdentity.desktopName);
  // Before any window, so toasts and the taskbar match the installer's shortcut (docs/tutorial/notifications.md, Windows).
  if (platform === "win32") app.setAppUserModelId(appIdentity.appId);
}
