import path from "node:path";
import { app, clipboard, dialog, globalShortcut, ipcMain, Notification, powerMonitor, safeStorage, session } from "electron";
import type { ApiHandlers } from "../../src-shared/api/contract";
import type { PhoneState } from "../../src-shared/api/areas/desktop";
import type { HotkeyAction } from "../../src-shared/desktop/hotkeys";
import { assertNever, drop } from "../../src-shared/assert-never";
import type { Core } from "../core/create-core";
import { readEarlyAnswers } from "../host/early-answers";
import { applyAppIdentity } from "./app-identity";
import { registerAppScheme, serveAppProtocol } from "./app-protocol";
import { createConnectOrigins, type ConnectOrigins } from "./connect-origins";
import { createDialInbox } from "./dial-inbox";
import { createEarlyIpc } from "./early-ipc";
import { findDialUri, isDialUri } from "./find-dial-uri";
import { forwardEvents } from "./forward-events";
import { hardenWebContents } from "./harden-web-contents";
import { registerIpc } from "./ipc";
import { checkStoreDriver } from "./native-abi";
import { secureSession } from "./security";
import { readShellConfig } from "./shell-config";
import { shellPaths } from "./shell-paths";
import { safeStorageTokenProtector } from "./safe-storage-token";
import { createShutdown } from "./shutdown";
import { eventChannel } from "./channels";
import { electronDesktopShell, protocolClientArgs } from "./electron-desktop-shell";
import { fileLinkClaim } from "./link-claim";
import { setLinuxAutostart } from "./linux-autostart";
import { noticeBody } from "./notice-text";
import { linkRegistrarFor } from "./os-links";
import { createQuitGuard } from "./quit-guard";
import { shellText } from "./shell-text";
import { createTray } from "./tray";
import { statusNotifierHostPresent } from "./tray-host";
import {
  anyWindowFocused,
  broadcast,
  createMainWindow,
  isOwnWebContents,
  reloadWindows,
  setCloseBehaviour,
  setSessionEndHandlers,
  showDialerWindow,
  showMainWindow,
} from "./windows";

const closeTimeoutMs = 5_000;
/** How long the core waits for the page to ask for its early answers (early-ipc.ts). */
const earlyCoreDelayMs = 1500;
const platform = process.platform;

// Before anything reads the name or userData: requestSingleInstanceLock does.
applyAppIdentity(app, platform);
// Both must happen before `ready`.
app.enableSandbox();
registerAppScheme();

if (app.requestSingleInstanceLock()) startShell();
else app.quit();

function startShell(): void {
  const paths = shellPaths(app.getAppPath());
  const { preload } = paths;
  const userData = app.getPath("userData");
  const dials = createDialInbox();
  let core: Promise<Core> | null = null;
  let origins: ConnectOrigins | null = null;
  // Windows open only once the IPC handlers are there to answer them.
  let windowsAllowed = false;
  const showWindow = () => {
    if (windowsAllowed) showMainWindow(preload);
  };
  const shutdown = createShutdown(() => (core ? core.then((c) => c.close()) : Promise.resolve()), closeTimeoutMs);
  let phone: PhoneState = { registration: "offline", inCall: false };
  let trayRunning = false;
  // Until the desktop says it shows tray icons (Linux may not), closing minimizes rather than hides.
  let trayShown = platform !== "linux";
  const showDialer = () => {
    if (windowsAllowed) showDialerWindow(preload);
  };
  const dialClipboard = () => {
    // The core cleans the text; the dialer shows the number or why it is none, and never dials by itself.
    if (core) {
      const ready = core;
      drop(Promise.resolve(clipboard.readText()).then(async (text) => (await ready).handlers.dialText({ text: text.slice(0, 4096), source: "hotkey" })));
    }
    showDialer();
  };
  const onHotkey = (action: HotkeyAction) => {
    switch (action) {
      case "openDialer":
        return showDialer();
      case "dialClipboard":
        return dialClipboard();
      case "answerOrHangUp":
      case "toggleMute":
        // The call lives in the page's softphone (a hidden main window keeps it while in the tray).
        return broadcast(eventChannel("shortcutPressed"), { action });
      default:
        return assertNever(action, "hotkey action");
    }
  };
  const launch = { defaultApp: process.defaultApp === true, execPath: process.execPath, appEntry: process.argv[1] ? path.resolve(process.argv[1]) : null };
  const desktopShell = electronDesktopShell({
    app,
    globalShortcut,
    links: linkRegistrarFor({ platform, app, target: protocolClientArgs(launch), launch, env: process.env, userData }),
    claim: fileLinkClaim(path.join(userData, "link-handler.json")),
    onHotkey,
    // An AppImage runs from a temporary mount: autostart must name the image itself.
    setLinuxAutostart: platform === "linux" ? (on) => setLinuxAutostart(on, process.env.APPIMAGE ?? process.execPath, process.env) : null,
  });
  const quitGuard = createQuitGuard(
    () => phone.inCall,
    () => {
      const text = shellText(app.getLocale());
      const answer = dialog.showMessageBoxSync({
        type: "warning",
        title: text.quitInCallTitle,
        message: text.quitInCallTitle,
        detail: text.quitInCallMessage,
        buttons: [text.quitAndHangUp, text.keepCall],
        defaultId: 1,
        cancelId: 1,
      });
      return answer === 0 ? "quit" : "stay";
    },
  );
  setCloseBehaviour(() => (quitGuard.quitting || !trayRunning ? "close" : trayShown ? "hide" : "minimize"));

  // The OS is ending the session: before-quit never comes on Windows, and after
  // session-end Electron ends the process at once, so closing starts at the query.
  const endSession = () => {
    quitGuard.forceQuit();
    shutdown.begin(() => app.quit());
    app.quit();
  };
  setSessionEndHandlers({
    query: endSession,
    end: () => {
      if (shutdown.state !== "closed") console.warn("[shell] the session ended before the core finished closing; the store's WAL keeps what was committed");
    },
  });

  // Pages reload into a policy that lets them reach a newly allowed origin (not during a call).
  const refreshPolicies = () => {
    const current = origins;
    if (current && !phone.inCall) reloadWindows((contents) => current.stale(contents.id));
  };

  const launchUri = findDialUri(process.argv);
  if (launchUri) dials.receive(launchUri);

  app.on("web-contents-created", (_event, contents) => {
    hardenWebContents(contents);
    contents.on("did-start-navigation", (details) => {
      if (details.isMainFrame && !details.isSameDocument) origins?.noteDocument(contents.id);
    });
    const id = contents.id;
    contents.once("destroyed", () => origins?.forget(id));
  });
  app.on("second-instance", (_event, argv) => {
    const uri = findDialUri(argv);
    if (uri) dials.receive(uri);
    showWindow();
  });
  // macOS delivers links here, possibly before `ready`.
  app.on("open-url", (event, url) => {
    event.preventDefault();
    if (isDialUri(url)) dials.receive(url);
    showWindow();
  });
  app.on("activate", showWindow);
  // With the tray running the app stays; without one (no tray on this desktop) closing the last window quits.
  app.on("window-all-closed", () => {
    if (platform !== "darwin" && !trayRunning) app.quit();
  });
  app.on("before-quit", (event) => quitGuard.onBeforeQuit(event));
  app.on("will-quit", (event) => {
    globalShortcut.unregisterAll();
    shutdown.onWillQuit(event, () => app.quit());
  });

  const start = async () => {
    const config = readShellConfig(process.env);
    await app.whenReady();
    // Linux and macOS tell the app before a shutdown; holding it lets the core close first (docs/api/power-monitor.md).
    // The typings give no argument, but the event is preventable (shell/browser/api/electron_api_power_monitor.cc:87-88).
    powerMonitor.on("shutdown", (...args: unknown[]) => {
      (args[0] as { preventDefault?: () => void } | undefined)?.preventDefault?.();
      endSession();
    });
    const allowed = createConnectOrigins({ file: path.join(userData, "connect-origins.json"), base: config.connectSources });
    origins = allowed;
    secureSession(session.defaultSession, allowed.csp);
    serveAppProtocol(paths.rendererDir, allowed.csp);
    // The core opens the store in this process: its native driver must be built for this Electron.
    const driver = checkStoreDriver(paths.bundleDir, Number(process.versions.modules));
    if (!driver.ok) {
      const text = shellText(app.getLocale());
      throw new Error(
        driver.reason === "abi" ? `${text.driverBuiltForOtherAbi(driver.builtFor, driver.running, process.versions.electron ?? "?")}\n${driver.binary}` : text.driverMissing,
      );
    }
    // A signed-in store answers the page's first calls (early-ipc.ts): the window opens now and
    // the core loads once the page has them. Otherwise the window waits for the core, as the
    // policy (CSP) needs the session's server before the page loads.
    const tokenProtector = safeStorageTokenProtector(safeStorage, process.platform, (line) => console.warn(`[caller] ${line}`));
    const early = readEarlyAnswers(path.join(userData, "caller.sqlite"), tokenProtector);
    if (early) allowed.setSession(early.getSession);
    let wantCore: () => void = () => undefined;
    const wanted = new Promise<void>((resolve) => (wantCore = resolve));
    if (early) setTimeout(wantCore, earlyCoreDelayMs);
    else wantCore();
    const loaded = wanted.then(async () => {
      const { createCore } = await import("../core/create-core");
      core = createCore({
        dataDir: userData,
        serverUrl: config.serverUrl,
        shell: "electron",
        version: app.getVersion(),
        desktopShell,
        tokenProtector,
      });
      return core;
    });
    const earlyIpc = createEarlyIpc(early, wantCore);
    const handlers = loaded.then(async (ready) => {
      // The embedded demo (npm start) signs its admin in; a real install leaves this unset.
      const { parseSignInArg, signInUnlessSignedIn } = await import("../core/sign-in-arg");
      await signInUnlessSignedIn(ready.handlers, parseSignInArg(process.env.CALLER_SIGN_IN));
      allowed.setSession(await ready.handlers.getSession({}));
      ready.events.on("sessionChanged", (state) => {
        allowed.setSession(state);
        refreshPolicies();
      });
      return learnPbxOrigin(ready.handlers, allowed, refreshPolicies);
    });
    registerIpc(ipcMain, handlers, isOwnWebContents, earlyIpc);
    if (early) openWindows();
    const api = await handlers;
    const ready = await loaded;
    forwardEvents(ready.events, broadcast);
    await earlyIpc.coreUp(api);
    followPhone(ready);
    startTray(ready);
    coreReady = ready;
    if (early) openDials();
    else openWindows();
  };
  // A link that launched the app waits until the page is there to hear about it, and the core to take it.
  let coreReady: Core | null = null;
  let pageLoaded = false;
  const openDials = () => {
    const ready = coreReady;
    if (!ready || !pageLoaded) return;
    dials.open((uri) => {
      ready.requestDial(uri, "link");
      showWindow();
    });
  };
  const openWindows = () => {
    windowsAllowed = true;
    // Started at login: the page loads (its softphone registers) but stays in the tray.
    const window = process.argv.includes("--hidden") ? createMainWindow(preload, false) : showMainWindow(preload);
    window.webContents.once("did-finish-load", () => {
      pageLoaded = true;
      openDials();
    });
  };
  const followPhone = (ready: Core) => {
    // The quit question and the policy reloads need the call state, tray or not.
    ready.events.on("desktopStateChanged", (state) => {
      const callEnded = phone.inCall && !state.phone.inCall;
      phone = state.phone;
      if (callEnded) refreshPolicies();
    });
  };
  const startTray = (ready: Core) => {
    try {
      const tray = createTray(
        shellText(app.getLocale()),
        {
          openDialer: showDialer,
          openMain: showWindow,
          dialClipboard,
          quit: () => app.quit(),
        },
        platform,
      );
      trayRunning = true;
      if (platform === "linux") {
        drop(statusNotifierHostPresent().then((shown) => (trayShown = shown)));
      }
      app.once("will-quit", () => tray.destroy());
      // The tray dialer hands its calls to the main window's softphone: bring that window forward.
      ready.events.on("dialRequested", (request) => {
        if (request.placeCall === true) showWindow();
      });
      ready.events.on("desktopStateChanged", (state) => tray.update(state.phone));
    } catch (error) {
      // Some Linux desktops have no tray: the app then works as a plain window.
      console.warn("[shell] no tray on this desktop", error);
    }
    ready.events.on("desktopNotice", (notice) => {
      // The OS notification is the shell's (the page shows none under Electron); not while the user is in our window.
      if (anyWindowFocused() || !Notification.isSupported()) return;
      new Notification({ title: "Caller", body: noticeBody(notice, app.getLocale()) }).show();
    });
  };

  drop(start(), (error) => {
    console.error("[shell] could not start", error);
    dialog.showErrorBox(shellText(app.getLocale()).couldNotStart, error instanceof Error ? error.message : String(error));
    app.exit(1);
  });
}

/** The page's SIP configuration names the PBX it will connect to: the policy learns that origin on the way. */
function learnPbxOrigin(handlers: ApiHandlers, allowed: ConnectOrigins, refresh: () => void): ApiHandlers {
  return {
    ...handlers,
    getSipConfig: async (request) => {
      const config = await handlers.getSipConfig(request);
      allowed.learnSip(config.wsUrl);
      // After the answer is on its way: a page that cannot reach the PBX reloads into a policy that can.
      setImmediate(refresh);
      return config;
    },
  };
}
