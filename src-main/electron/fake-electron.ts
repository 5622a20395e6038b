import { execFileSync } from "node:child_process";
import { EventEmitter } from "node:events";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BrowserWindowConstructorOptions } from "electron";
import type { ApiHandlers } from "../../src-shared/api/contract";
import type { LinkHandlerStatus } from "../../src-shared/api/areas/desktop";
import type { Core, CoreOptions } from "../core/create-core";
import type { DesktopShell } from "../core/desktop/desktop-shell";
import { defaultHotkeys, planHotkeys, type HotkeyProblem } from "../../src-shared/desktop/hotkeys";
import { createEventHub, type EventHub } from "../core/event-hub";
import { nativeModuleAbi, storeDriverBinary } from "./native-abi";
import { shellPaths } from "./shell-paths";

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

/** How Electron was started: `electron <arg>` (development) or an installed app whose resources hold `appDir`. */
export type FakeLaunch = { kind: "electron"; arg: string; cwd?: string } | { kind: "packaged"; appDir: string };

export interface FakeImage {
  bitmap: Buffer;
  width: number;
  height: number;
  scaleFactor: number;
}

const repoRoot = path.resolve(__dirname, "..", "..");

/** What the shell reads from the desktop; each reset points them into a fresh folder, never the real user's. */
const isolatedEnv = ["HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_DATA_DIRS", "XDG_SESSION_TYPE", "DBUS_SESSION_BUS_ADDRESS", "APPIMAGE"] as const;

/** lib/browser/desktop-name.ts: the name Electron falls back to when package.json has no desktopName. */
export function defaultDesktopName(name: string, execPath = "electron"): string {
  const slug = name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug ? `${slug}.desktop` : `${path.basename(execPath)}.desktop`;
}

/** A reverse-DNS app id, which the GlobalShortcuts portal requires (docs/api/global-shortcut.md, "Usage on Linux"). */
function isReverseDns(desktopName: string): boolean {
  return /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)+$/.test(desktopName.replace(/\.desktop$/, ""));
}

/** An app folder as scripts/electron-app.mjs stages it, with `node_modules` linked to the repository's (built for Node). */
export function makeAppDir(parent: string, options: { packageJson?: Record<string, unknown> | null; rendererIndex?: string } = {}): string {
  const dir = mkdtempSync(path.join(parent, "app-"));
  mkdirSync(path.join(dir, "dist", "main"), { recursive: true });
  mkdirSync(path.join(dir, "dist", "renderer"), { recursive: true });
  writeFileSync(path.join(dir, "dist", "main", "electron-main.cjs"), "// the shell's bundle\n");
  writeFileSync(path.join(dir, "dist", "main", "preload.cjs"), "// the preload\n");
  writeFileSync(path.join(dir, "dist", "renderer", "index.html"), options.rendererIndex ?? "<!doctype html><title>Caller</title>");
  const packageJson = options.packageJson === undefined ? (JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as Record<string, unknown>) : options.packageJson;
  if (packageJson) writeFileSync(path.join(dir, "package.json"), JSON.stringify({ ...packageJson, main: "dist/main/electron-main.cjs" }));
  symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

export function createFakeElectron() {
  const scratch = mkdtempSync(path.join(tmpdir(), "caller-fake-electron-"));
  const original = {
    platform: process.platform,
    argv: process.argv,
    defaultApp: Object.getOwnPropertyDescriptor(process, "defaultApp"),
    versions: process.versions,
    env: Object.fromEntries(isolatedEnv.map((name) => [name, process.env[name]])),
  };
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
    setLoginItemSettings: (settings: unknown) => void (state.loginItem = settings),
  });

  const windowsCommand = (exe?: string, args: string[] = []) => [`"${exe ?? "C:\\Program Files\\Caller Desktop\\Caller Desktop.exe"}"`, ...args.map((a) => `"${a}"`), '"%1"'].join(" ");
  const installedEntry = (id: string) =>
    [process.env.XDG_DATA_HOME, ...(process.env.XDG_DATA_DIRS ?? "").split(":")].some((dir) => dir && existsSync(path.join(dir, "applications", id)));
  const xdgDefault = (scheme: string) => execFileSync("xdg-mime", ["query", "default", `x-scheme-handler/${scheme}`], { env: process.env }).toString().trim();

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

  class FakeWebContents extends EventEmitter {
    readonly id = nextContentsId++;
    url = "";
    reloads = 0;
    sent: Array<[string, unknown]> = [];
    windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.windowOpenHandler = handler;
    }
    send(channel: string, payload: unknown) {
      this.sent.push([channel, payload]);
    }
    getURL() {
      return this.url;
    }
    navigateTo(url: string) {
      this.emit("did-start-navigation", { url, isMainFrame: true, isSameDocument: false, frame: null });
      this.url = url;
    }
    reload() {
      this.reloads++;
      this.navigateTo(this.url);
    }
  }

  class FakeBrowserWindow extends EventEmitter {
    readonly webContents = new FakeWebContents();
    shown = 0;
    constructor(readonly options: BrowserWindowConstructorOptions) {
      super();
      state.windows.push(this);
      state.log.push("new BrowserWindow");
      app.emit("web-contents-created", {}, this.webContents);
    }
    loadURL(url: string) {
      this.webContents.navigateTo(url);
      state.log.push(`loadURL ${url}`);
      return Promise.resolve();
    }
    visible = false;
    focused = false;
    minimized = false;
    hidden = 0;
    destroyed = false;
    isDestroyed = () => this.destroyed;
    isMinimized = () => this.minimized;
    isVisible = () => this.visible;
    isFocused = () => this.focused;
    restore = () => void (this.minimized = false);
    minimize = () => void (this.minimized = true);
    show = () => {
      this.shown++;
      this.visible = true;
    };
    hide = () => {
      this.hidden++;
      this.visible = false;
    };
    focus = () => undefined;
    /** What a click on the window's close button does: "close" can be prevented, else the window goes. */
    close() {
      let prevented = false;
      this.emit("close", { preventDefault: () => (prevented = true) });
      if (prevented) return;
      this.destroyed = true;
      this.visible = false;
      this.emit("closed");
      this.webContents.emit("destroyed");
      // Browser::OnWindowAllClosed (browser.cc:314-322).
      if (liveWindows().length === 0) {
        if (state.quitting) notifyAndShutdown();
        else app.emit("window-all-closed");
      }
    }
  }

  class FakeTray extends EventEmitter {
    menu: Array<{ label?: string; click?: () => void; type?: string }> = [];
    tooltip = "";
    images: FakeImage[] = [];
    constructor(image: FakeImage) {
      super();
      this.images.push(image);
      state.trays.push(this);
    }
    setToolTip(text: string) {
      this.tooltip = text;
    }
    setImage(image: FakeImage) {
      this.images.push(image);
    }
    setContextMenu(menu: Array<{ label?: string; click?: () => void }>) {
      this.menu = menu;
    }
    destroy() {
      state.log.push("tray.destroy");
    }
  }

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

  /** Windows' registry as reg.exe would read it (for windows-link-choice.ts's RegistryRead). */
  const readRegistry = (key: string, value: string) => Promise.resolve(state.registry.get(`${key}\\${value}`.toLowerCase()) ?? null);
  /** What the user picked in Settings › Default apps (HKCU\…\UrlAssociations\<scheme>\UserChoice ProgId); null: never picked. */
  const setUserChoice = (scheme: string, progId: string | null) => {
    const key = `HKCU\\Software\\Microsoft\\Windows\\Shell\\Associations\\UrlAssociations\\${scheme}\\UserChoice\\ProgId`.toLowerCase();
    if (progId === null) state.registry.delete(key);
    else state.registry.set(key, progId);
  };

  /**
   * The core, reduced to what the shell sees, except that it first loads its
   * store driver as Node does in the running process: an addon built for
   * another NODE_MODULE_VERSION fails with Node's own message.
   */
  async function createCore(options: CoreOptions): Promise<Core> {
    state.log.push("createCore");
    loadStoreDriver();
    const events = createEventHub();
    const shell = options.desktopShell;
    state.shell = shell ?? null;
    if (shell) {
      state.hotkeyProblems = shell.applyHotkeys(planHotkeys(defaultHotkeys, "other"));
      state.linkStatus = await shell.setLinkHandler(true, "start").catch((error: unknown) => ({ state: "failed" as const, detail: String(error) }));
    }
    const handlers = {
      getSession: () => Promise.resolve(state.session),
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

  function loadStoreDriver(): void {
    const binary = storeDriverBinary(shellPaths(state.appPath).bundleDir);
    if (binary === null || !existsSync(binary)) throw new Error("Cannot find module 'better-sqlite3'");
    const builtFor = nativeModuleAbi(readFileSync(binary));
    const running = Number(process.versions.modules);
    if (builtFor !== null && builtFor !== running) {
      // Node's message (docs/tutorial/using-native-node-modules.md).
      throw new Error(
        `The module '${binary}'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION ${builtFor}. This version of Node.js requires\nNODE_MODULE_VERSION ${running}. Please try re-compiling or re-installing\nthe module (for instance, using \`npm rebuild\` or \`npm install\`).`,
      );
    }
  }

  /** Sets up how Electron was launched, as init.ts and default_app do it: the app path, name and desktop name. */
  function launchApp(launch: FakeLaunch): void {
    const readPackage = (dir: string) => {
      const file = path.join(dir, "package.json");
      return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { name?: string; productName?: string; desktopName?: string }) : null;
    };
    const applyPackage = (pkg: { name?: string; productName?: string; desktopName?: string }) => {
      state.appName = pkg.productName ?? pkg.name ?? state.appName;
      state.desktopName = pkg.desktopName || defaultDesktopName(state.appName);
    };
    if (launch.kind === "packaged") {
      // lib/browser/init.ts:100-148: resources/app(.asar)/package.json.
      const pkg = readPackage(launch.appDir);
      if (!pkg) throw new Error(`no package.json in ${launch.appDir}`);
      applyPackage(pkg);
      state.appPath = launch.appDir;
      setProcess({ defaultApp: false, argv: [path.join(launch.appDir, "..", "..", "caller-desktop")] });
      return;
    }
    // default_app's own package.json first ("Electron"), then the app's (default_app/main.ts:90-143).
    applyPackage({ productName: "Electron" });
    const packagePath = path.resolve(launch.cwd ?? process.cwd(), launch.arg);
    const pkg = readPackage(packagePath);
    if (pkg) {
      applyPackage(pkg);
      state.appPath = packagePath;
    } else {
      state.appPath = path.dirname(packagePath);
    }
    setProcess({ defaultApp: true, argv: ["/opt/electron/electron", launch.arg] });
  }

  function setProcess(options: { platform?: Platform; defaultApp?: boolean; argv?: string[]; modules?: string }) {
    if (options.platform) Object.defineProperty(process, "platform", { value: options.platform, configurable: true });
    if (options.defaultApp !== undefined) Object.defineProperty(process, "defaultApp", { value: options.defaultApp, configurable: true, writable: true });
    if (options.argv) process.argv = options.argv;
    if (options.modules) Object.defineProperty(process, "versions", { value: { ...original.versions, modules: options.modules, electron: "45.4.1" }, configurable: true });
  }

  /** Puts back what reset() changed on `process`. */
  function restoreProcess(): void {
    Object.defineProperty(process, "platform", { value: original.platform, configurable: true });
    if (original.defaultApp) Object.defineProperty(process, "defaultApp", original.defaultApp);
    else delete (process as { defaultApp?: boolean }).defaultApp;
    process.argv = original.argv;
    Object.defineProperty(process, "versions", { value: original.versions, configurable: true });
    for (const [name, value] of Object.entries(original.env)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }

  let desktopEnv: Record<string, string> = {};

  /** A home of its own: xdg-mime, autostart and dbus-send see only this (no session bus: its address leads nowhere). */
  function isolateDesktop(): Record<string, string> {
    const home = mkdtempSync(path.join(scratch, "home-"));
    mkdirSync(path.join(home, "config"), { recursive: true });
    const env = {
      HOME: home,
      XDG_DATA_HOME: path.join(home, "data"),
      XDG_CONFIG_HOME: path.join(home, "config"),
      XDG_DATA_DIRS: path.join(home, "system"),
      DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(home, "no-bus")}`,
    };
    Object.assign(process.env, env);
    delete process.env.XDG_SESSION_TYPE;
    delete process.env.APPIMAGE;
    return env;
  }

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
    restoreProcess();
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
    else desktopEnv = isolateDesktop();
    Object.assign(process.env, options.env ?? {});
    state.keyring = { available: true, backend: "gnome_libsecret", key: "key-1" };
    app.removeAllListeners();
    powerMonitor.removeAllListeners();
    setProcess({ platform: state.platform, ...(options.modules ? { modules: options.modules } : {}) });
    defaultAppDir ??= makeAppDir(scratch);
    launchApp(options.launch ?? { kind: "packaged", appDir: defaultAppDir });
    process.argv = [...process.argv, ...(options.args ?? [])];
  }

  /** Emits a navigation-style event the way Electron does; returns whether the shell prevented it. */
  function navigate(contents: EventEmitter, name: string, url: string, isMainFrame = true): boolean {
    let prevented = false;
    contents.emit(name, { url, isMainFrame, preventDefault: () => (prevented = true) });
    return prevented;
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

  return { state, electron, createCore, reset, restoreProcess, navigate, readRegistry, setUserChoice, endWindowsSession, powerShutdown, scratch };
}
