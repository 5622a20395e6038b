import { BrowserWindow, type WebContents, type WindowSessionEndEvent } from "electron";
import { drop } from "../../src-shared/assert-never";
import { appPageUrl, isAppUrl } from "./app-url";

const ourWindows = new Set<BrowserWindow>();
let mainWindow: BrowserWindow | null = null;
let dialerWindow: BrowserWindow | null = null;
/**
 * What closing the main window does. "hide": into a tray the user can see (its
 * page holds the softphone's registration); "minimize": where no tray shows,
 * the window stays reachable in the taskbar; "close": quitting, or no tray at all.
 */
export type CloseBehaviour = "hide" | "minimize" | "close";
let closeBehaviour: () => CloseBehaviour = () => "close";

export function setCloseBehaviour(decide: () => CloseBehaviour): void {
  closeBehaviour = decide;
}

/** Windows' end of session reaches every window (shell/browser/native_window_views_win.cc:422-451). */
let sessionEnd: { query(event: WindowSessionEndEvent): void; end(event: WindowSessionEndEvent): void } | null = null;

export function setSessionEndHandlers(handlers: typeof sessionEnd): void {
  sessionEnd = handlers;
}

// webPreferences stay literal in each constructor call: Electronegativity does not follow variables.

export function createMainWindow(preload: string, show = true): BrowserWindow {
  const window = new BrowserWindow({
    width: 1100,
    height: 720,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: "Caller",
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // A middle click must not open a new window behind setWindowOpenHandler's back.
      disableBlinkFeatures: "Auxclick",
      // The page runs the softphone: hidden in the tray, its SIP keepalives and REGISTER refreshes must keep time.
      backgroundThrottling: false,
      preload, // eng-disable PRELOAD_JS_CHECK reviewed: sandboxed preload exposes only the named API functions via contextBridge
    },
  });
  mainWindow = window;
  window.on("close", (event) => {
    const behaviour = closeBehaviour();
    if (behaviour === "close") return;
    event.preventDefault();
    if (behaviour === "hide") window.hide();
    else window.minimize();
  });
  window.on("closed", () => {
    if (mainWindow === window) mainWindow = null;
  });
  return adopt(window, appPageUrl(), show);
}

/** The small always-on-top dialer the tray and the "open dialer" hotkey open (the page's #tray view). */
export function createDialerWindow(preload: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 320,
    height: 520,
    show: false,
    title: "Caller",
    alwaysOnTop: true,
    resizable: false,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    skipTaskbar: true,
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // A middle click must not open a new window behind setWindowOpenHandler's back.
      disableBlinkFeatures: "Auxclick",
      preload, // eng-disable PRELOAD_JS_CHECK reviewed: sandboxed preload exposes only the named API functions via contextBridge
    },
  });
  dialerWindow = window;
  window.on("closed", () => {
    if (dialerWindow === window) dialerWindow = null;
  });
  return adopt(window, appPageUrl("tray"));
}

/** Shows the small dialer, creating it when there is none. */
export function showDialerWindow(preload: string): BrowserWindow {
  const window = dialerWindow && !dialerWindow.isDestroyed() ? dialerWindow : createDialerWindow(preload);
  window.show();
  window.focus();
  return window;
}

/** True while the user is looking at one of our windows (a notice then would only interrupt). */
export function anyWindowFocused(): boolean {
  for (const window of ourWindows) {
    if (!window.isDestroyed() && window.isFocused()) return true;
  }
  return false;
}

/** Brings the main window forward, creating it when there is none. */
export function showMainWindow(preload: string): BrowserWindow {
  const window = mainWindow && !mainWindow.isDestroyed() ? mainWindow : createMainWindow(preload);
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
  return window;
}

/** True for the webContents of a window this module created and has not yet seen close. */
export function isOwnWebContents(contents: WebContents): boolean {
  for (const window of ourWindows) {
    if (!window.isDestroyed() && window.webContents.id === contents.id) return true;
  }
  return false;
}

/** Reloads each of our windows whose page `needs` it (a page keeps the CSP it loaded with). */
export function reloadWindows(needs: (contents: WebContents) => boolean): void {
  for (const window of ourWindows) {
    if (!window.isDestroyed() && needs(window.webContents)) window.webContents.reload();
  }
}

/** Sends a core event to each of our windows that still shows our page. */
export function broadcast(channel: string, payload: unknown): void {
  for (const window of ourWindows) {
    if (window.isDestroyed() || !isAppUrl(window.webContents.getURL())) continue;
    window.webContents.send(channel, payload);
  }
}

function adopt(window: BrowserWindow, url: string, show = true): BrowserWindow {
  ourWindows.add(window);
  window.on("closed", () => ourWindows.delete(window));
  window.on("query-session-end", (event) => sessionEnd?.query(event));
  window.on("session-end", (event) => sessionEnd?.end(event));
  if (show) window.once("ready-to-show", () => window.show());
  drop(window.loadURL(url), (error) => console.error(`[shell] could not load ${url}`, error));
  return window;
}
