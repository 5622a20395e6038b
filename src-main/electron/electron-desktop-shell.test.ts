import { describe, expect, it } from "vitest";
import { defaultHotkeys, planHotkeys, type HotkeyAction } from "../../src-shared/desktop/hotkeys";
import { electronDesktopShell, protocolClientArgs } from "./electron-desktop-shell";

function deps(options: { refuse?: string[]; taken?: string[]; defaultApp?: boolean; linux?: boolean } = {}) {
  const calls: string[] = [];
  const clients = new Set<string>();
  const pressed: HotkeyAction[] = [];
  const registered = new Map<string, () => void>();
  const shell = electronDesktopShell({
    app: {
      setAsDefaultProtocolClient: (scheme: string, path?: string, args?: string[]) => {
        calls.push(`set ${scheme} ${path ?? ""} ${(args ?? []).join(" ")}`.trim());
        if (options.refuse?.includes(scheme)) return false;
        clients.add(scheme);
        return true;
      },
      removeAsDefaultProtocolClient: (scheme: string) => {
        calls.push(`remove ${scheme}`);
        return clients.delete(scheme);
      },
      isDefaultProtocolClient: (scheme: string) => clients.has(scheme),
      setLoginItemSettings: (settings) => void calls.push(`login ${JSON.stringify(settings)}`),
    },
    globalShortcut: {
      register: (accelerator: string, callback: () => void) => {
        if (options.taken?.includes(accelerator)) return false;
        registered.set(accelerator, callback);
        return true;
      },
      unregisterAll: () => registered.clear(),
    },
    launch: { defaultApp: options.defaultApp ?? false, execPath: "/usr/lib/electron/electron", appEntry: "/src/caller/dist/main/electron-main.cjs" },
    onHotkey: (action) => pressed.push(action),
    setLinuxAutostart: options.linux ? (on) => void calls.push(`autostart ${on}`) : null,
  });
  return { shell, calls, clients, pressed, registered };
}

describe("the Electron desktop shell", () => {
  it("makes Caller the handler for callto: and tel:, and lets go when another method is chosen", async () => {
    const d = deps();
    await expect(d.shell.setLinkHandler(true, "change")).resolves.toEqual({ state: "registered", detail: null });
    expect([...d.clients]).toEqual(["callto", "tel"]);
    await expect(d.shell.setLinkHandler(false, "change")).resolves.toEqual({ state: "released", detail: null });
    expect([...d.clients]).toEqual([]);
  });

  it("at start leaves alone links it does not hold", async () => {
    const d = deps();
    await d.shell.setLinkHandler(false, "start");
    expect(d.calls).toEqual([]);
  });

  it("reports an OS refusal instead of claiming success", async () => {
    await expect(deps({ refuse: ["tel"] }).shell.setLinkHandler(true, "change")).rejects.toMatchObject({ code: "os_refused" });
  });

  it("registers the development launch with Electron and the app's entry", () => {
    expect(protocolClientArgs({ defaultApp: true, execPath: "/e", appEntry: "/app/main.cjs" })).toEqual({ path: "/e", args: ["/app/main.cjs"] });
    expect(protocolClientArgs({ defaultApp: false, execPath: "/opt/Caller/caller", appEntry: "/x" })).toEqual({});
  });

  it("registers shortcuts with the OS, reports those it refuses, and replaces earlier ones", () => {
    const d = deps({ taken: [defaultHotkeys.answerOrHangUp ?? ""] });
    const problems = d.shell.applyHotkeys(planHotkeys(defaultHotkeys, "other"));
    expect(problems).toEqual([{ action: "answerOrHangUp", accelerator: defaultHotkeys.answerOrHangUp, reason: "taken" }]);
    d.registered.get(defaultHotkeys.toggleMute ?? "")?.();
    expect(d.pressed).toEqual(["toggleMute"]);
    d.shell.applyHotkeys(planHotkeys({ ...defaultHotkeys, openDialer: null, dialClipboard: null, toggleMute: null }, "other"));
    expect([...d.registered.keys()]).toEqual([]);
  });

  it("starts at login hidden in the tray when asked: a login item, or an autostart entry on Linux", () => {
    const d = deps();
    d.shell.setStartAtLogin(true);
    expect(d.calls).toEqual(['login {"openAtLogin":true,"args":["--hidden"]}']);
    const linux = deps({ linux: true });
    linux.shell.setStartAtLogin(false);
    expect(linux.calls).toEqual(["autostart false"]);
  });
});
