import path from "node:path";
import { app, clipboard, dialog, globalShortcut, ipcMain, Notification, safeStorage, session } from "electron";
import type { PhoneState } from "../../src-shared/api/areas/desktop";
import type { HotkeyAction } from "../../src-shared/desktop/hotkeys";
import { assertNever, drop } from "../../src-shared/assert-never";
import { createCore, type Core } from "../core/create-core";
import { parseSignInArg, signInUnlessSignedIn } from "../core/sign-in-arg";
import { registerAppScheme, serveAppProtocol } from "./app-protocol";
import { createDialInbox } from "./dial-inbox";
import { findDialUri, isDialUri } from "./find-dial-uri";
import { forwardEvents } from "./forward-events";
import { hardenWebContents } from "./harden-web-contents";
import { registerIpc } from "./ipc";
import { secureSession } from "./security";
import { readShellConfig } from "./shell-config";
import { safeStorageTokenProtector } from "./safe-storage-token";
import { createShutdown } from "./shutdown";
import { eventChannel } from "./channels";
import { electronDesktopShell } from "./electron-desktop-shell";
import { setLinuxAutostart } from "./linux-autostart";
import { noticeBody } from "./notice-text";
import { createQuitGuard } from "./quit-guard";
import { shellText } from "./shell-text";
import { createTray } from "./tray";
import { anyWindowFocused, broadcast, createMainWindow, isOwnWebContents, setHideOnClose, showDialerWindow, showMainWindow } from "./windows";

const closeTimeoutMs = 5_000;

// Both must happen before `ready`.
app.enableSandbox();
registerAppScheme();

if (app.requestSingleInstanceLock()) startShell();
else app.quit();

function startShell(): void {
  const appDir = app.getAppPath();
  const preload = path.join(appDir, "dist", "main", "preload.cjs");
  const rendererDir = path.join(appDir, "dist", "renderer");
  const dials = createDialInbox();
  let core: Promise<Core> | null = null;
  // Windows open only once the IPC handlers are there to answer them.
  let windowsAllowed = false;
  const showWindow = () => {
    if (windowsAllowed) showMainWindow(preload);
  };
  const shutdown = createShutdown(() => (core ? core.then((c) => c.close()) : Promise.resolve()), closeTimeoutMs);
  let phone: PhoneState = { registration: "offline", inCall: false };
  let trayRunning = false;
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
  const desktopShell = electronDesktopShell({
    app,
    globalShortcut,
    launch: { defaultApp: process.defaultApp === true, execPath: process.execPath, appEntry: process.argv[1] ? path.resolve(process.argv[1]) : null },
    onHotkey,
    // An AppImage runs from a temporary mount: autostart must name the image itself.
    setLinuxAutostart: process.platform === "linux" ? (on) => setLinuxAutostart(on, process.env.APPIMAGE ?? process.execPath, process.env) : null,
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
  setHideOnClose(() => trayRunning && !quitGuard.quitting);

  const launchUri = findDialUri(process.argv);
  if (launchUri) dials.receive(launchUri);

  app.on("web-contents-created", (_event, contents) => hardenWebContents(contents));
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
    if (process.platform !== "darwin" && !trayRunning) app.quit();
  });
  app.on("before-quit", (event) => quitGuard.onBeforeQuit(event));
  app.on("will-quit", (event) => {
    globalShortcut.unregisterAll();
    shutdown.onWillQuit(event, () => app.quit());
  });

  const start = async () => {
    const config = readShellConfig(process.env);
    await app.whenReady();
    secureSession(session.defaultSession, () => config.csp);
    serveAppProtocol(rendererDir, () => config.csp);
    core = createCore({ dataDir: app.getPath("userData"), serverUrl: config.serverUrl, shell: "electron", version: app.getVersion(), desktopShell, tokenProtector: safeStorageTokenProtector(safeStorage, process.platform, (line) => console.warn(`[caller] ${line}`)) });
    const ready = await core;
    // The embedded demo (npm start) signs its admin in; a real install leaves this unset.
    await signInUnlessSignedIn(ready.handlers, parseSignInArg(process.env.CALLER_SIGN_IN));
    registerIpc(ipcMain, ready.handlers, isOwnWebContents);
    forwardEvents(ready.events, broadcast);
    startTray(ready);
    windowsAllowed = true;
    // Started at login: the page loads (its softphone registers) but stays in the tray.
    const window = process.argv.includes("--hidden") ? createMainWindow(preload, false) : showMainWindow(preload);
    // A link that launched the app waits until the page is there to hear about it.
    window.webContents.once("did-finish-load", () => {
      dials.open((uri) => {
        ready.requestDial(uri, "link");
        showWindow();
      });
    });
  };
  const startTray = (ready: Core) => {
    try {
      const tray = createTray(shellText(app.getLocale()), {
        openDialer: showDialer,
        openMain: showWindow,
        dialClipboard,
        quit: () => app.quit(),
      });
      trayRunning = true;
      app.once("will-quit", () => tray.destroy());
      // The tray dialer hands its calls to the main window's softphone: bring that window forward.
      ready.events.on("dialRequested", (request) => {
        if (request.placeCall === true) showWindow();
      });
      ready.events.on("desktopStateChanged", (state) => {
        phone = state.phone;
        tray.update(state.phone);
      });
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
    dialog.showErrorBox("Caller could not start", error instanceof Error ? error.message : String(error));
    app.exit(1);
  });
}
