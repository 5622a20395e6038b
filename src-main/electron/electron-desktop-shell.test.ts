import { describe, expect, it } from "vitest";
import { defaultHotkeys, planHotkeys, type HotkeyAction } from "../../src-shared/desktop/hotkeys";
import { electronDesktopShell, protocolClientArgs, type LinkClaim } from "./electron-desktop-shell";
import { electronLinkRegistrar, type LinkRegistrar, type ProtocolApp } from "./link-registrar";

/** Launch Services as Electron sees it on macOS: one handler per scheme; removing hands it to FaceTime. */
function macApp(options: { refuse?: string[] } = {}) {
  const handlers = new Map<string, string>();
  const calls: string[] = [];
  const app: ProtocolApp = {
    setAsDefaultProtocolClient: (scheme: string, path?: string, args?: string[]) => {
      calls.push(`set ${scheme} ${path ?? ""} ${(args ?? []).join(" ")}`.trim());
      if (options.refuse?.includes(scheme)) return false;
      handlers.set(scheme, "us");
      return true;
    },
    removeAsDefaultProtocolClient: (scheme: string) => {
      calls.push(`remove ${scheme}`);
      if (handlers.get(scheme) !== "us") return false;
      handlers.set(scheme, "com.apple.FaceTime");
      return true;
    },
    isDefaultProtocolClient: (scheme: string) => handlers.get(scheme) === "us",
  };
  return { app, handlers, calls };
}

function memoryClaim(claimed = false): LinkClaim & { claimed: boolean } {
  const claim = { claimed, read: () => claim.claimed, write: (on: boolean) => void (claim.claimed = on) };
  return claim;
}

function shellWith(links: LinkRegistrar, options: { claim?: LinkClaim; taken?: string[]; linux?: boolean } = {}) {
  const calls: string[] = [];
  const pressed: HotkeyAction[] = [];
  const registered = new Map<string, () => void>();
  const shell = electronDesktopShell({
    app: { setLoginItemSettings: (settings) => void calls.push(`login ${JSON.stringify(settings)}`) },
    globalShortcut: {
      register: (accelerator: string, callback: () => void) => {
        if (options.taken?.includes(accelerator)) return false;
        registered.set(accelerator, callback);
        return true;
      },
      unregisterAll: () => registered.clear(),
    },
    links,
    claim: options.claim ?? memoryClaim(),
    onHotkey: (action) => pressed.push(action),
    setLinuxAutostart: options.linux ? (on) => void calls.push(`autostart ${on}`) : null,
  });
  return { shell, calls, pressed, registered };
}

describe("the Electron desktop shell's links", () => {
  it("makes Caller the handler for callto: and tel:, and lets go when another method is chosen", async () => {
    const mac = macApp();
    const { shell } = shellWith(electronLinkRegistrar(mac.app, {}));
    await expect(shell.setLinkHandler(true, "change")).resolves.toEqual({ state: "registered", detail: null });
    expect([...mac.handlers]).toEqual([["callto", "us"], ["tel", "us"]]);
    await expect(shell.setLinkHandler(false, "change")).resolves.toEqual({ state: "released", detail: null });
    expect([...mac.handlers.values()]).toEqual(["com.apple.FaceTime", "com.apple.FaceTime"]);
  });

  it("at start leaves alone links it does not hold", async () => {
    const mac = macApp();
    await shellWith(electronLinkRegistrar(mac.app, {})).shell.setLinkHandler(false, "start");
    expect(mac.calls).toEqual([]);
  });

  it("takes the links at a first start, and at later starts only while it still holds them", async () => {
    const mac = macApp();
    const claim = memoryClaim();
    const { shell } = shellWith(electronLinkRegistrar(mac.app, {}), { claim });
    await expect(shell.setLinkHandler(true, "start")).resolves.toEqual({ state: "registered", detail: null });
    expect(claim.claimed).toBe(true);
    mac.handlers.set("tel", "com.apple.FaceTime");
    mac.calls.length = 0;
    await expect(shell.setLinkHandler(true, "start")).resolves.toEqual({ state: "released", detail: null });
    expect(mac.calls).toEqual([]);
    // The user's own choice in Caller takes them back.
    await expect(shell.setLinkHandler(true, "change")).resolves.toEqual({ state: "registered", detail: null });
  });

  it("reports an OS refusal instead of claiming success", async () => {
    await expect(shellWith(electronLinkRegistrar(macApp({ refuse: ["tel"] }).app, {})).shell.setLinkHandler(true, "change")).rejects.toMatchObject({ code: "os_refused" });
  });

  it("never reports released while the OS still sends links to Caller", async () => {
    const stuck: LinkRegistrar = { holds: () => Promise.resolve(true), take: () => Promise.resolve(), release: () => electronLinkRegistrar(stuckApp(), {}).release() };
    const claim = memoryClaim(true);
    await expect(shellWith(stuck, { claim }).shell.setLinkHandler(false, "change")).rejects.toMatchObject({ code: "os_refused" });
    expect(claim.claimed).toBe(true);
  });

  it("registers the development launch with Electron and the app's folder", () => {
    expect(protocolClientArgs({ defaultApp: true, execPath: "/e", appEntry: "/src/caller/dist/electron-app" })).toEqual({ path: "/e", args: ["/src/caller/dist/electron-app"] });
    expect(protocolClientArgs({ defaultApp: false, execPath: "/opt/Caller/caller", appEntry: "/x" })).toEqual({});
  });
});

/** Linux as Electron has it: removing does nothing and says so (browser_linux.cc:199-204). */
function stuckApp(): ProtocolApp {
  return {
    setAsDefaultProtocolClient: () => true,
    removeAsDefaultProtocolClient: () => false,
    isDefaultProtocolClient: () => true,
  };
}

describe("the Electron desktop shell's hotkeys and login item", () => {
  it("registers shortcuts with the OS, reports those it refuses, and replaces earlier ones", () => {
    const d = shellWith(electronLinkRegistrar(macApp().app, {}), { taken: [defaultHotkeys.answerOrHangUp ?? ""] });
    const problems = d.shell.applyHotkeys(planHotkeys(defaultHotkeys, "other"));
    expect(problems).toEqual([{ action: "answerOrHangUp", accelerator: defaultHotkeys.answerOrHangUp, reason: "taken" }]);
    d.registered.get(defaultHotkeys.toggleMute ?? "")?.();
    expect(d.pressed).toEqual(["toggleMute"]);
    d.shell.applyHotkeys(planHotkeys({ ...defaultHotkeys, openDialer: null, dialClipboard: null, toggleMute: null }, "other"));
    expect([...d.registered.keys()]).toEqual([]);
  });

  it("starts at login hidden in the tray when asked: a login item, or an autostart entry on Linux", () => {
    const d = shellWith(electronLinkRegistrar(macApp().app, {}));
    d.shell.setStartAtLogin(true);
    expect(d.calls).toEqual(['login {"openAtLogin":true,"args":["--hidden"]}']);
    const linux = shellWith(electronLinkRegistrar(macApp().app, {}), { linux: true });
    linux.shell.setStartAtLogin(false);
    expect(linux.calls).toEqual(["autostart false"]);
  });
});
