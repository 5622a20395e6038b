import { EventEmitter } from "node:events";
import type { BrowserWindowConstructorOptions } from "electron";
import type { FakeImage } from "./fake-electron-launch";

/** What the fake's windows and trays report to: the fake Electron's own state. */
export interface WindowHost {
  log: string[];
  windows: FakeBrowserWindow[];
  trays: FakeTray[];
  app: EventEmitter;
  nextContentsId(): number;
  /** The last live window went (Browser::OnWindowAllClosed decides what follows). */
  onAllWindowsClosed(): void;
}

export type FakeBrowserWindow = InstanceType<ReturnType<typeof fakeWindowClasses>["FakeBrowserWindow"]>;
export type FakeTray = InstanceType<ReturnType<typeof fakeWindowClasses>["FakeTray"]>;

/** BrowserWindow, its webContents and Tray as the shell uses them, recording into `host`. */
export function fakeWindowClasses(host: WindowHost) {
  class FakeWebContents extends EventEmitter {
    readonly id = host.nextContentsId();
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
    isDestroyed() {
      return false;
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
      host.windows.push(this);
      host.log.push("new BrowserWindow");
      host.app.emit("web-contents-created", {}, this.webContents);
    }
    loadURL(url: string) {
      this.webContents.navigateTo(url);
      host.log.push(`loadURL ${url}`);
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
      if (host.windows.every((w) => w.destroyed)) host.onAllWindowsClosed();
    }
  }

  class FakeTray extends EventEmitter {
    menu: Array<{ label?: string; click?: () => void; type?: string }> = [];
    tooltip = "";
    images: FakeImage[] = [];
    constructor(image: FakeImage) {
      super();
      this.images.push(image);
      host.trays.push(this);
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
      host.log.push("tray.destroy");
    }
  }
  return { FakeWebContents, FakeBrowserWindow, FakeTray };
}

/** Emits a navigation-style event the way Electron does; returns whether the shell prevented it. */
export function navigate(contents: EventEmitter, name: string, url: string, isMainFrame = true): boolean {
  let prevented = false;
  contents.emit(name, { url, isMainFrame, preventDefault: () => (prevented = true) });
  return prevented;
}
