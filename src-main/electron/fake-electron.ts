import { EventEmitter } from "node:events";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ApiHandlers } from "../../src-shared/api/contract";
import type { LinkHandlerStatus } from "../../src-shared/api/areas/desktop";
import type { Core } from "../core/create-core";
import type { CoreOptions } from "../core/core-options";
import type { DesktopShell } from "../core/desktop/desktop-shell";
import { defaultHotkeys, planHotkeys, type HotkeyProblem } from "../../src-shared/desktop/hotkeys";
import { createEventHub, type EventHub } from "../core/event-hub";
import { fakeProcess, isolateDesktop, isReverseDns, launchIdentity, loadStoreDriver, makeAppDir, type FakeImage, type FakeLaunch } from "./fake-electron-launch";
import { fakeProtocolClients } from "./fake-electron-protocols";
import { fakeWindowClasses, navigate, type FakeBrowserWindow, type FakeTray } from "./fake-electron-windows";

export { defaultDesktopName, makeAppDir, type FakeImage, type FakeLaunch } from "./fake-electron-launch";

/**
 * A test double of the parts of Electron the shell uses (the binary is absent
 * here), recording what the shell does in order so tests can run main.ts.
 * Where Electron 45's own code decides something the shell relies on, the
 * fake follows that code (cited at each place) rather than the shell's hopes:
 * the app path and name come from how the app was launched, protocol clients
 * and global shortcuts behave per platform, quitting and the end of a Windows
 * session follow shell/browser/browser.cc and native_window_views_win.cc, and
 * the core first loads its native store driver the way Node does.
 */
export type FakeElectron = ReturnType<typeof createFakeElectron>;

type Handler = (event: unknown, ...args: unknown[]) => unknown;
type Platform = "linux" | "darwin" | "win32";

export function createFakeElectron() {
  const scratch = mkdtempSync(path.join(tmpdir(), "caller-fake-electron-"));
  const proc = fakeProcess();
  const state = {
    log: [] as string[],
    platform: "linux" as Platform,
    lockGranted: true,
    ready: false,
    resolveReady: () => undefined as void,
    readyPromise: Promise.resolve(),
    windows: [] as FakeBrowserWindow[],
    ipc: new Map<string, Handler>(),
    protocols: new Map<string, (request: Request) => Promise<Response>>(),
    sessionHandlers: {} as Record<string, Handler>,
    opened: [] as string[],
    exitCode: null as number | null,
    core: null as (Core & { closed: number; events: EventHub }) | null,
    shell: null as DesktopShell | null,
    linkStatus: null as LinkHandlerStatus | null,
    hotkeyProblems: [] as HotkeyProblem[],
    shortcuts: new Map<string, () => void>(),
    takenShortcuts: [] as string[],
    // Electron's own view of protocol clients, per platform (see the app's methods).
    macHandlers: new Map<string, string>(),
    macOtherApp: "com.apple.FaceTime",
    windowsClasses: new Map<string, string>(),
    registry: new Map<string, string>(),
    appUserModelId: null as string | null,
    loginItem: null as unknown,
    clipboardText: "",
    notifications: [] as string[],
    trays: [] as FakeTray[],
    quitAnswer: 1,
    asked: 0,
    // App identity, as Electron sets it from the launch (lib/browser/init.ts, default_app/main.ts).
    appPath: "",
    appName: "",
    desktopName: "",
    appDataDir: path.join(scratch, "appData"),
    userDataOverride: null as string | null,
    userDataFixed: null as string | null,
    // Browser::Quit's is_quitting_ (shell/browser/browser.cc).
    quitting: false,
    exited: false,
    terminated: false,
    sipConfig: { wsUrl: "wss://pbx.example.com:8089/ws", aor: "sip:u1@pbx", username: "u1", password: "secret", displayName: "U", iceServers: [] },
    session: { signedIn: false, serverUrl: null } as { signedIn: boolean; serverUrl: string | null },
    /** safeStorage: whether a keyring answers, which Linux backend, and the key it seals with (a new key: old seals fail). */
    keyring: { available: true, backend: "gnome_libsecret" as ReturnType<Electron.SafeStorage["getSelectedStorageBackend"]>, key: "key-1" },
  };
  let nextContentsId = 1;
  const userData = () => state.userDataOverride ?? path.join(state.appDataDir, state.appName);

  const protocols = fakeProtocolClients(state);
  const app = Object.assign(new EventEmitter(), {
    enableSandbox: () => void state.log.push("enableSandbox"),
    commandLine: { hasSwitch: (name: string) => process.argv.some((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`)) },
    requestSingleInstanceLock: () => {
      // The lock lives in userData, which this first read fixes (electron_api_app.cc:1059, electron_paths.cc:27-33).
      state.userDataFixed ??= userData();
      return state.lockGranted;
    },
    quit: () => quit(),
    exit: (code: number) => void (state.exitCode = code),
    getAppPath: () => state.appPath,
    getName: () => state.appName,
    setName: (name: string) => void (state.appName = name),
    setDesktopName: (name: string) => void (state.desktopName = name),
    setAppUserModelId: (id: string) => {
      state.appUserModelId = id;
      state.log.push(`setAppUserModelId ${id}`);
    },
    getPath: (name: string) => {
      if (name === "appData") return state.appDataDir;
      if (name === "userData") return (state.userDataFixed ??= userData());
      return path.join(userData(), name);
    },
    setPath: (name: string, value: string) => {
      if (name === "userData") {
        state.userDataOverride = value;
        state.userDataFixed = value;
      }
    },
    getVersion: () => "1.2.3",
    isReady: () => state.ready,
    whenReady: () => state.readyPromise,
    getLocale: () => "en-US",
    ...protocols.appMethods,
    setLoginItemSettings: (settings: unknown) => void (state.loginItem = settings),
  });

  /** Browser::Quit → HandleBeforeQuit → close every window → NotifyAndShutdown (shell/browser/browser.cc:126-138, 287-322). */
  function quit(): void {
    if (state.quitting || state.exited) return;
    let prevented = false;
    app.emit("before-quit", { preventDefault: () => (prevented = true) });
    if (prevented) return;
    state.quitting = true;
    const open = liveWindows();
    if (open.length === 0) return notifyAndShutdown();
    for (const window of open) {
      window.close();
      // A window that stayed open cancels the quit (Browser::OnWindowCloseCancelled).
      if (!window.destroyed) {
        state.quitting = false;
        return;
      }
    }
  }

  function notifyAndShutdown(): void {
    let prevented = false;
    app.emit("will-quit", { preventDefault: () => (prevented = true) });
    if (prevented) {
      state.quitting = false;
      return;
    }
    state.exited = true;
    state.log.push("quit");
  }

  const liveWindows = () => state.windows.filter((w) => !w.destroyed);

  // Getters: reset() gives the state fresh arrays.
  const { FakeBrowserWindow, FakeTray } = fakeWindowClasses({
    get log() {
      return state.log;
    },
    get windows() {
      return state.windows;
    },
    get trays() {
      return state.trays;
    },
    app,
    nextContentsId: () => nextContentsId++,
    // Browser::OnWindowAllClosed (browser.cc:314-322).
    onAllWindowsClosed: () => {
      if (state.quitting) notifyAndShutdown();
      else app.emit("window-all-closed");
    },
  });

  const powerMonitor = new EventEmitter();

  const electron = {
    app,
    safeStorage: {
      isEncryptionAvailable: () => state.keyring.available,
      getSelectedStorageBackend: () => state.keyring.backend,
      // Sealed as key + hex: not the plain text, and unreadable under another key, as with a real keyring.
      encryptString: (plain: string) => Buffer.from(`${state.keyring.key}:${Buffer.from(plain).toString("hex")}`),
      decryptString: (sealed: Buffer) => {
        const [key, hex] = sealed.toString().split(":");
        if (key !== state.keyring.key || hex === undefined) throw new Error("Error while decrypting the ciphertext provided to safeStorage.decryptString.");
        return Buffer.from(hex, "hex").toString();
      },
    },
    BrowserWindow: FakeBrowserWindow,
    powerMonitor,
    ipcMain: {
      handle: (channel: string, handler: Handler) => {
        state.log.push(`ipcMain.handle ${channel}`);
        state.ipc.set(channel, handler);
      },
      removeHandler: (channel: string) => state.ipc.delete(channel),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown) => state.log.push(`registerSchemesAsPrivileged ${JSON.stringify(schemes)}`),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
        state.log.push(`protocol.handle ${scheme}`);
        state.protocols.set(scheme, handler);
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Handler) => (state.sessionHandlers.request = fn),
        setPermissionCheckHandler: (fn: Handler) => (state.sessionHandlers.check = fn),
        setDevicePermissionHandler: (fn: Handler) => (state.sessionHandlers.device = fn),
        webRequest: { onHeadersReceived: (fn: Handler) => (state.sessionHandlers.headers = fn) },
      },
    },
    shell: { openExternal: (url: string) => Promise.resolve(void state.opened.push(url)) },
    dialog: {
      showErrorBox: (title: string, message: string) => state.log.push(`showErrorBox ${title}: ${message}`),
      showMessageBoxSync: () => {
        state.asked++;
        return state.quitAnswer;
      },
    },
    globalShortcut: {
      register: (accelerator: string, callback: () => void) => {
        // On Wayland binds go through the GlobalShortcuts portal, which GNOME denies for an app id that is not reverse-DNS.
        if (state.platform === "linux" && process.env.XDG_SESSION_TYPE === "wayland" && !isReverseDns(state.desktopName)) return false;
        if (state.takenShortcuts.includes(accelerator)) return false;
        state.shortcuts.set(accelerator, callback);
        return true;
      },
      unregisterAll: () => state.shortcuts.clear(),
    },
    clipboard: { readText: () => Promise.resolve(state.clipboardText) },
    Tray: FakeTray,
    Menu: { buildFromTemplate: (template: unknown[]) => template },
    nativeImage: {
      // N32 premultiplied, exactly width*height*4 bytes (electron_api_native_image.cc:506-548).
      createFromBitmap: (bitmap: Buffer, options: { width: number; height: number; scaleFactor?: number }): FakeImage => {
        if (bitmap.length !== options.width * options.height * 4) throw new Error("invalid buffer size");
        return { bitmap, width: options.width, height: options.height, scaleFactor: options.scaleFactor ?? 1 };
      },
    },
    Notification: Object.assign(
      class {
        constructor(readonly options: { body: string }) {}
        show() {
          state.notifications.push(this.options.body);
        }
      },
      { isSupported: () => true },
    ),
  };

  /**
   * The core, reduced to what the shell sees, except that it first loads its
   * store driver as Node does in the running process: an addon built for
   * another NODE_MODULE_VERSION fails with Node's own message.
   */
  async function createCore(options: CoreOptions): Promise<Core> {
    state.log.push("createCore");
    loadStoreDriver(state.appPath);
    const events = createEventHub();
    const shell = options.desktopShell;
    state.shell = shell ?? null;
    if (shell) {
      state.hotkeyProblems = shell.applyHotkeys(planHotkeys(defaultHotkeys, "other"));
      state.linkStatus = await shell.setLinkHandler(true, "start").catch((error: unknown) => ({ state: "failed" as const, detail: String(error) }));
    }
    const handlers = {
      getSession: () => Promise.resolve(state.session),
      getSyncState: () => Promise.resolve({ status: "idle", lastSeq: 5, lastSyncedAt: 1, error: null, progress: null, pendingEdits: 0 }),
      getSipConfig: () => Promise.resolve(state.sipConfig),
      dialText: (request: { text: string }) => {
        state.log.push(`dialText ${request.text}`);
        return Promise.resolve({ ok: true });
      },
    } as unknown as ApiHandlers;
    const core = {
      handlers,
      events,
      closed: 0,
      requestDial: (number: string, source: "link" | "tray" | "hotkey") => events.emit("dialRequested", { number, source, problem: null, extension: null }),
      close: () => {
        core.closed++;
        return Promise.resolve();
      },
    };
    state.core = core;
    return core;
  }

  let desktopEnv: Record<string, string> = {};

  let defaultAppDir: string | null = null;

  function reset(
    options: {
      lockGranted?: boolean;
      takenShortcuts?: string[];
      platform?: Platform;
      launch?: FakeLaunch;
      /** Extra arguments after the app's (a link, --hidden). */
      args?: string[];
      /** The running process's NODE_MODULE_VERSION; the Node running the tests' by default. */
      modules?: string;
      /** The same machine again: the OS's handlers, the registry, the home folder and userData stay. */
      restart?: boolean;
      /** Variables the desktop or launcher sets (APPIMAGE, XDG_SESSION_TYPE). */
      env?: Record<string, string>;
    } = {},
  ) {
    const restart = options.restart === true;
    proc.restore();
    state.log = [];
    state.platform = options.platform ?? "darwin";
    state.lockGranted = options.lockGranted ?? true;
    state.ready = false;
    state.readyPromise = new Promise<void>((resolve) => {
      state.resolveReady = () => {
        state.ready = true;
        state.log.push("ready");
        resolve();
      };
    });
    state.windows = [];
    state.ipc.clear();
    state.protocols.clear();
    state.sessionHandlers = {};
    state.opened = [];
    state.exitCode = null;
    state.core = null;
    state.shell = null;
    state.linkStatus = null;
    state.hotkeyProblems = [];
    state.shortcuts.clear();
    state.takenShortcuts = options.takenShortcuts ?? [];
    if (!restart) {
      state.macHandlers.clear();
      state.windowsClasses.clear();
      state.registry.clear();
    }
    state.appUserModelId = null;
    state.loginItem = null;
    state.clipboardText = "";
    state.notifications = [];
    state.trays = [];
    state.quitAnswer = 1;
    state.asked = 0;
    if (!restart) state.appDataDir = mkdtempSync(path.join(scratch, "appData-"));
    state.userDataOverride = null;
    state.userDataFixed = null;
    state.quitting = false;
    state.exited = false;
    state.terminated = false;
    state.session = { signedIn: false, serverUrl: null };
    if (restart) Object.assign(process.env, desktopEnv);
    else desktopEnv = isolateDesktop(scratch);
    Object.assign(process.env, options.env ?? {});
    state.keyring = { available: true, backend: "gnome_libsecret", key: "key-1" };
    app.removeAllListeners();
    powerMonitor.removeAllListeners();
    proc.set({ platform: state.platform, ...(options.modules ? { modules: options.modules } : {}) });
    defaultAppDir ??= makeAppDir(scratch);
    const launched = launchIdentity(options.launch ?? { kind: "packaged", appDir: defaultAppDir }, state.appName);
    state.appName = launched.appName;
    state.desktopName = launched.desktopName;
    state.appPath = launched.appPath;
    proc.set(launched.process);
    process.argv = [...process.argv, ...(options.args ?? [])];
  }

  /**
   * A Windows shutdown: WM_QUERYENDSESSION to every window, a moment while
   * Windows asks the other apps, then WM_ENDSESSION to the windows left; after
   * it Electron ends the process at once unless the app is quitting
   * (shell/browser/native_window_views_win.cc:422-451).
   */
  async function endWindowsSession(reasons = ["shutdown"]): Promise<{ prevented: boolean }> {
    let prevented = false;
    for (const window of liveWindows()) window.emit("query-session-end", { reasons, preventDefault: () => (prevented = true) });
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (prevented) return { prevented };
    const left = liveWindows();
    if (left.length === 0) return { prevented };
    for (const window of left) window.emit("session-end", { reasons, preventDefault: () => undefined });
    if (!state.quitting && !state.exited) state.terminated = true;
    return { prevented };
  }

  /** powerMonitor's 'shutdown' (Linux, macOS): returns whether the app held the shutdown. */
  function powerShutdown(): boolean {
    let prevented = false;
    powerMonitor.emit("shutdown", { preventDefault: () => (prevented = true) });
    return prevented;
  }

  return { state, electron, createCore, reset, restoreProcess: proc.restore, navigate, readRegistry: protocols.readRegistry, setUserChoice: protocols.setUserChoice, endWindowsSession, powerShutdown, scratch };
}
