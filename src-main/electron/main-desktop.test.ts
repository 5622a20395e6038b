import { afterEach, describe, expect, it, vi } from "vitest";
import { defaultHotkeys } from "../../src-shared/desktop/hotkeys";

// main.ts's tray, hotkeys, protocol registration and lifecycle, against a fake Electron and core.
const fake = await vi.hoisted(async () => (await import("./fake-electron")).createFakeElectron());
vi.mock("electron", () => fake.electron);
vi.mock("../core/create-core", () => ({ createCore: fake.createCore }));
// Each test imports main.ts afresh (its whole module graph) and works on real files and
// real xdg-mime runs; on a loaded CI machine that alone can take more than Vitest's 5 s.
vi.setConfig({ testTimeout: 30_000 });

async function startMain(options: { args?: string[]; takenShortcuts?: string[]; platform?: "linux" | "darwin" | "win32" } = {}) {
  fake.reset({ takenShortcuts: options.takenShortcuts ?? [], args: options.args ?? [], platform: options.platform ?? "darwin" });
  vi.resetModules();
  await import("./main");
  fake.state.resolveReady();
  // On Linux the start takes the links through xdg-mime first (a shell script per query).
  await vi.waitFor(() => expect(fake.state.windows.length).toBeGreaterThan(0), { timeout: 30_000 });
  const main = fake.state.windows[0]!;
  main.webContents.emit("did-finish-load");
  return main;
}

const press = (accelerator: string | null) => {
  const callback = fake.state.shortcuts.get(accelerator ?? "");
  if (!callback) throw new Error(`${accelerator} is not registered`);
  callback();
};

const tray = () => {
  const created = fake.state.trays[0];
  if (!created) throw new Error("no tray");
  return created;
};

afterEach(() => {
  vi.unstubAllEnvs();
  fake.restoreProcess();
});

describe("the Electron shell's desktop integration", () => {
  it("registers for callto: and tel:, and the default global shortcuts, at start", async () => {
    await startMain();
    expect(fake.state.linkStatus).toEqual({ state: "registered", detail: null });
    expect([...fake.state.macHandlers]).toEqual([
      ["callto", "us"],
      ["tel", "us"],
    ]);
    expect([...fake.state.shortcuts.keys()]).toEqual(Object.values(defaultHotkeys));
  });

  it("opens the tray's small dialer from its shortcut and from the tray, one window only", async () => {
    await startMain();
    press(defaultHotkeys.openDialer);
    const dialer = fake.state.windows[1];
    expect(dialer?.webContents.url).toBe("app://caller/index.html#tray");
    expect(dialer?.options).toMatchObject({ alwaysOnTop: true, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false } });
    tray().emit("click");
    expect(fake.state.windows).toHaveLength(2);
    expect(dialer?.shown).toBe(2);
  });

  it("hands the clipboard to the core (which cleans it) and sends call keys to the page", async () => {
    const main = await startMain();
    fake.state.clipboardText = "Tel. 03-1234-5678 (office)";
    press(defaultHotkeys.dialClipboard);
    await vi.waitFor(() => expect(fake.state.log).toContain("dialText Tel. 03-1234-5678 (office)"));
    press(defaultHotkeys.toggleMute);
    expect(main.webContents.sent).toContainEqual(["caller:event:shortcutPressed", { action: "toggleMute" }]);
  });

  it("has a tray menu to open the dialer, dial the clipboard and quit", async () => {
    await startMain();
    expect(tray().menu.map((item) => item.label).filter(Boolean)).toEqual(["Open dialer", "Dial number on clipboard", "Open Caller", "Quit Caller"]);
    expect(tray().tooltip).toBe("Caller — offline");
    fake.state.core?.events.emit("desktopStateChanged", desktopState({ registration: "registered", inCall: true }));
    expect(tray().tooltip).toBe("Caller — in a call");
    expect(tray().images).toHaveLength(2);
  });

  it("keeps running in the tray when the main window is closed", async () => {
    const main = await startMain();
    main.close();
    expect(main.isDestroyed()).toBe(false);
    expect(main.hidden).toBe(1);
    expect(fake.state.log).not.toContain("quit");
  });

  it("asks before quitting during a call, and stays when told to", async () => {
    const main = await startMain();
    fake.state.core?.events.emit("desktopStateChanged", desktopState({ registration: "registered", inCall: true }));
    let prevented = 0;
    fake.electron.app.emit("before-quit", { preventDefault: () => void prevented++ });
    expect(fake.state.asked).toBe(1);
    expect(prevented).toBe(1);
    fake.state.quitAnswer = 0;
    fake.electron.app.emit("before-quit", { preventDefault: () => void prevented++ });
    expect(prevented).toBe(1);
    // Once quitting, closing the window closes it for real.
    main.close();
    expect(main.isDestroyed()).toBe(true);
  });

  it("asks before quitting during a call even with no tray", async () => {
    vi.doMock("./tray", () => ({
      createTray: () => {
        throw new Error("no tray here");
      },
    }));
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      await startMain();
      fake.state.core?.events.emit("desktopStateChanged", desktopState({ registration: "registered", inCall: true }));
      fake.electron.app.emit("before-quit", { preventDefault: () => undefined });
      expect(fake.state.asked).toBe(1);
    } finally {
      vi.doUnmock("./tray");
    }
  });

  it("quits without asking when no call is up", async () => {
    await startMain();
    let prevented = 0;
    fake.electron.app.emit("before-quit", { preventDefault: () => void prevented++ });
    expect(fake.state.asked).toBe(0);
    expect(prevented).toBe(0);
  });

  it("starts hidden in the tray when launched at login", async () => {
    const main = await startMain({ args: ["--hidden"] });
    main.emit("ready-to-show");
    expect(main.shown).toBe(0);
  });

  it("shows an OS notification only while the user is not in one of our windows", async () => {
    const main = await startMain();
    main.focused = true;
    fake.state.core?.events.emit("desktopNotice", { kind: "creditLow", minutesLeft: 3 });
    expect(fake.state.notifications).toEqual([]);
    main.focused = false;
    fake.state.core?.events.emit("desktopNotice", { kind: "verificationSucceeded", number: "+81312345678" });
    expect(fake.state.notifications).toEqual(["Number verified: +81312345678"]);
  });
});

function desktopState(phone: { registration: "offline" | "connecting" | "registered" | "failed"; inCall: boolean }) {
  return {
    settings: { hotkeys: defaultHotkeys, startAtLogin: false },
    hotkeyScope: "global" as const,
    hotkeyProblems: [],
    platform: "other" as const,
    linkHandler: { state: "registered" as const, detail: null },
    phone,
  };
}

describe("the main window in the background", () => {
  it("is not throttled when hidden: its softphone keeps SIP keepalives and REGISTER refreshes on time", async () => {
    const main = await startMain();
    expect(main.options.webPreferences?.backgroundThrottling).toBe(false);
  });
});

describe("the tray on Linux", () => {
  it("leads its menu with Open Caller, since a click on the icon may never arrive", async () => {
    const main = await startMain({ platform: "linux" });
    main.hide();
    const first = tray().menu[0];
    expect(first?.label).toBe("Open Caller");
    first?.click?.();
    expect(main.visible).toBe(true);
  }, 30_000);

  it("minimizes instead of hiding where no StatusNotifierItem host would show the icon", async () => {
    // The fake's session bus address leads nowhere: dbus-send finds no StatusNotifierWatcher.
    const main = await startMain({ platform: "linux" });
    main.close();
    expect(main.isDestroyed()).toBe(false);
    expect(main.hidden).toBe(0);
    expect(main.isMinimized()).toBe(true);
  }, 30_000);

  it("hides into the tray where a host shows it", async () => {
    vi.doMock("./tray-host", () => ({ statusNotifierHostPresent: () => Promise.resolve(true) }));
    try {
      const main = await startMain({ platform: "linux" });
      await new Promise((resolve) => setTimeout(resolve, 10));
      main.close();
      expect(main.hidden).toBe(1);
      expect(main.isMinimized()).toBe(false);
    } finally {
      vi.doUnmock("./tray-host");
    }
  }, 30_000);
});

describe("the tray icon image", () => {
  it("is a premultiplied 32 px bitmap at scale 2", async () => {
    await startMain();
    const [image] = tray().images;
    expect(image).toMatchObject({ width: 32, height: 32, scaleFactor: 2 });
    const pixels = image!.bitmap;
    let edge = 0;
    for (let at = 0; at < pixels.length; at += 4) {
      const alpha = pixels[at + 3]!;
      expect(Math.max(pixels[at]!, pixels[at + 1]!, pixels[at + 2]!)).toBeLessThanOrEqual(alpha);
      if (alpha > 0 && alpha < 255) edge++;
    }
    expect(edge).toBeGreaterThan(0);
  });
});

describe("the end of the OS session", () => {
  it("closes the core on a Windows shutdown without asking, even in a call, before Windows ends the process", async () => {
    await startMain({ platform: "win32" });
    fake.state.core?.events.emit("desktopStateChanged", desktopState({ registration: "registered", inCall: true }));
    const { prevented } = await fake.endWindowsSession();
    expect(prevented).toBe(false);
    expect(fake.state.asked).toBe(0);
    expect(fake.state.core?.closed).toBe(1);
    expect(fake.state.terminated).toBe(false);
    expect(fake.state.exited).toBe(true);
  });

  it("holds a Linux or macOS shutdown until the core has closed", async () => {
    await startMain({ platform: "darwin" });
    expect(fake.powerShutdown()).toBe(true);
    await vi.waitFor(() => expect(fake.state.exited).toBe(true));
    expect(fake.state.core?.closed).toBe(1);
    expect(fake.state.asked).toBe(0);
  });
});
