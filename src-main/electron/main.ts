import path from "node:path";
import { app, dialog, ipcMain, session } from "electron";
import { drop } from "../../src-shared/assert-never";
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
import { createShutdown } from "./shutdown";
import { broadcast, isOwnWebContents, showMainWindow } from "./windows";

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
  app.on("window-all-closed", () => {
    if (process.platform !== "darwin") app.quit();
  });
  app.on("will-quit", (event) => shutdown.onWillQuit(event, () => app.quit()));

  const start = async () => {
    const config = readShellConfig(process.env);
    await app.whenReady();
    secureSession(session.defaultSession, () => config.csp);
    serveAppProtocol(rendererDir, () => config.csp);
    core = createCore({ dataDir: app.getPath("userData"), serverUrl: config.serverUrl, shell: "electron", version: app.getVersion() });
    const ready = await core;
    // The embedded demo (npm start) signs its admin in; a real install leaves this unset.
    await signInUnlessSignedIn(ready.handlers, parseSignInArg(process.env.CALLER_SIGN_IN));
    registerIpc(ipcMain, ready.handlers, isOwnWebContents);
    forwardEvents(ready.events, broadcast);
    windowsAllowed = true;
    const window = showMainWindow(preload);
    // A link that launched the app waits until the page is there to hear about it.
    window.webContents.once("did-finish-load", () => {
      dials.open((uri) => {
        ready.requestDial(uri, "link");
        showWindow();
      });
    });
  };
  drop(start(), (error) => {
    console.error("[shell] could not start", error);
    dialog.showErrorBox("Caller could not start", error instanceof Error ? error.message : String(error));
    app.exit(1);
  });
}
