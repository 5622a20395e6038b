import { EventEmitter } from "node:events";
import type { BrowserWindowConstructorOptions } from "electron";
import type { ApiHandlers } from "../../src-shared/api/contract";
import type { Core } from "../core/create-core";
import { createEventHub } from "../core/event-hub";

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
    core: null as (Core & { closed: number }) | null,
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
    isDestroyed = () => false;
    isMinimized = () => false;
    restore = () => undefined;
    show = () => void this.shown++;
    focus = () => undefined;
  }

  const electron = {
    app,
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
    dialog: { showErrorBox: (title: string, message: string) => state.log.push(`showErrorBox ${title}: ${message}`) },
  };

  function createCore(): Promise<Core> {
    state.log.push("createCore");
    const events = createEventHub();
    const handlers = {
      getSession: () => Promise.resolve({ signedIn: false, serverUrl: null }),
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
    return Promise.resolve(core);
  }

  function reset(options: { lockGranted?: boolean } = {}) {
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
