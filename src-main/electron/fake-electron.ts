import { EventEmitter } from "node:events";
import type { BrowserWindowConstructorOptions } from "electron";
import type { ApiHandlers } from "../../src-shared/api/contract";
import type { Core, CoreOptions } from "../core/create-core";
import { defaultHotkeys, planHotkeys } from "../../src-shared/desktop/hotkeys";
import { createEventHub, type EventHub } from "../core/event-hub";

/**
 * A test double of the parts of Electron the shell uses (the binary is absent
 * here), recording what the shell does in order so tests can run main.ts.
 */
export type FakeElectron = ReturnType<typeof createFakeElectron>;

type Handler = (event: unknown, ...args: unknown[]) => unknown;

export function createFakeElectron() {
  const state = {
    log: [] as string[],
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
    shortcuts: new Map<string, () => void>(),
    takenShortcuts: [] as string[],
    protocolClients: new Set<string>(),
    loginItem: null as unknown,
    clipboardText: "",
    notifications: [] as string[],
    trays: [] as Array<EventEmitter & { menu: Array<{ label?: string; click?: () => void }>; tooltip: string; images: number }>,
    quitAnswer: 1,
    asked: 0,
    /** safeStorage: whether a keyring answers, which Linux backend, and the key it seals with (a new key: old seals fail). */
    keyring: { available: true, backend: "gnome_libsecret" as ReturnType<Electron.SafeStorage["getSelectedStorageBackend"]>, key: "key-1" },
  };
  let nextContentsId = 1;

  const app = Object.assign(new EventEmitter(), {
    enableSandbox: () => void state.log.push("enableSandbox"),
    requestSingleInstanceLock: () => state.lockGranted,
    quit: () => void state.log.push("quit"),
    exit: (code: number) => void (state.exitCode = code),
    getAppPath: () => "/opt/Caller/resources/app",
    getPath: (name: string) => `/home/u/.config/Caller/${name}`,
    getVersion: () => "1.2.3",
    isReady: () => state.ready,
    whenReady: () => state.readyPromise,
    getLocale: () => "en-US",
    setAsDefaultProtocolClient: (scheme: string) => {
      state.log.push(`setAsDefaultProtocolClient ${scheme}`);
      state.protocolClients.add(scheme);
      return true;
    },
    removeAsDefaultProtocolClient: (scheme: string) => {
      state.log.push(`removeAsDefaultProtocolClient ${scheme}`);
      return state.protocolClients.delete(scheme);
    },
    isDefaultProtocolClient: (scheme: string) => state.protocolClients.has(scheme),
    setLoginItemSettings: (settings: unknown) => void (state.loginItem = settings),
  });

  class FakeWebContents extends EventEmitter {
    readonly id = nextContentsId++;
    url = "";
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
      this.webContents.url = url;
      state.log.push(`loadURL ${url}`);
      return Promise.resolve();
    }
    visible = false;
    focused = false;
    hidden = 0;
    destroyed = false;
    isDestroyed = () => this.destroyed;
    isMinimized = () => false;
    isVisible = () => this.visible;
    isFocused = () => this.focused;
    restore = () => undefined;
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
    }
  }

  class FakeTray extends EventEmitter {
    menu: Array<{ label?: string; click?: () => void }> = [];
    tooltip = "";
    images = 1;
    constructor() {
      super();
      state.trays.push(this);
    }
    setToolTip(text: string) {
      this.tooltip = text;
    }
    setImage() {
      this.images++;
    }
    setContextMenu(menu: Array<{ label?: string; click?: () => void }>) {
      this.menu = menu;
    }
    destroy() {
      state.log.push("tray.destroy");
    }
  }

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
        if (state.takenShortcuts.includes(accelerator)) return false;
        state.shortcuts.set(accelerator, callback);
        return true;
      },
      unregisterAll: () => state.shortcuts.clear(),
    },
    clipboard: { readText: () => Promise.resolve(state.clipboardText) },
    Tray: FakeTray,
    Menu: { buildFromTemplate: (template: unknown[]) => template },
    nativeImage: { createFromBitmap: () => ({}) },
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

  /** The core's side of desktop integration, reduced: what it asks of the shell at start, and dialText recorded. */
  async function createCore(options: CoreOptions): Promise<Core> {
    state.log.push("createCore");
    const events = createEventHub();
    const shell = options.desktopShell;
    if (shell) {
      shell.applyHotkeys(planHotkeys(defaultHotkeys, "other"));
      await shell.setLinkHandler(true, "start");
    }
    const handlers = {
      getSession: () => Promise.resolve({ signedIn: false, serverUrl: null }),
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

  function reset(options: { lockGranted?: boolean; takenShortcuts?: string[] } = {}) {
    state.log = [];
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
    state.shortcuts.clear();
    state.takenShortcuts = options.takenShortcuts ?? [];
    state.protocolClients.clear();
    state.loginItem = null;
    state.clipboardText = "";
    state.notifications = [];
    state.trays = [];
    state.quitAnswer = 1;
    state.asked = 0;
    state.keyring = { available: true, backend: "gnome_libsecret", key: "key-1" };
    app.removeAllListeners();
  }

  /** Emits a navigation-style event the way Electron does; returns whether the shell prevented it. */
  function navigate(contents: EventEmitter, name: string, url: string, isMainFrame = true): boolean {
    let prevented = false;
    contents.emit(name, { url, isMainFrame, preventDefault: () => (prevented = true) });
    return prevented;
  }

  reset();
  return { state, electron, createCore, reset, navigate };
}
