import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DesktopState } from "../../../src-shared/api/areas/desktop";
import type { DialRequest } from "../../../src-shared/api/contract";
import { dispatch } from "../../../src-shared/api/dispatch";
import { defaultHotkeys, type HotkeyPlan } from "../../../src-shared/desktop/hotkeys";
import { CallerError } from "../../../src-shared/errors";
import { createCore, type Core } from "../create-core";
import type { DesktopShell } from "./desktop-shell";

let dir: string;
const cores: Core[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "caller-desktop-core-"));
});
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
  await rm(dir, { recursive: true, force: true });
});

/** A shell that records what the core asks of the OS; `takenKeys` are refused like globalShortcut.register → false. */
function fakeShell(options: { takenKeys?: string[]; refuseLinks?: boolean } = {}) {
  const calls: string[] = [];
  const plans: HotkeyPlan[] = [];
  const shell: DesktopShell = {
    hotkeyScope: "global",
    setLinkHandler: (take, when) => {
      calls.push(`link ${take ? "take" : "release"} at ${when}`);
      if (options.refuseLinks && when === "change") return Promise.reject(new CallerError("os_refused", "xdg-mime failed"));
      return Promise.resolve({ state: take ? "registered" : "released", detail: null });
    },
    applyHotkeys: (plan) => {
      plans.push(plan);
      return plan.active.filter((e) => options.takenKeys?.includes(e.accelerator)).map((e) => ({ action: e.action, accelerator: e.accelerator, reason: "taken" as const }));
    },
    setStartAtLogin: (on) => void calls.push(`login ${on}`),
  };
  return { shell, calls, plans };
}

async function start(shell?: DesktopShell): Promise<Core> {
  const core = await createCore({ dataDir: join(dir, "data"), serverUrl: null, shell: "electron", version: "test", ...(shell ? { desktopShell: shell } : {}) });
  cores.push(core);
  return core;
}

describe("the desktop area in the core", () => {
  it("starts with the default shortcuts registered, links taken, and the OS's refusals reported", async () => {
    const fake = fakeShell({ takenKeys: [defaultHotkeys.toggleMute ?? ""] });
    const core = await start(fake.shell);
    const state = await core.handlers.getDesktopState({});
    expect(state.settings).toEqual({ hotkeys: defaultHotkeys, startAtLogin: false });
    expect(state.hotkeyScope).toBe("global");
    expect(state.hotkeyProblems).toEqual([{ action: "toggleMute", accelerator: defaultHotkeys.toggleMute, reason: "taken" }]);
    expect(state.linkHandler).toEqual({ state: "registered", detail: null });
    expect(fake.calls).toEqual(["login false", "link take at start"]);
  });

  it("reports an invalid shortcut and two actions on one key, registers neither, and keeps the choice over a restart", async () => {
    const fake = fakeShell();
    const core = await start(fake.shell);
    const changes: DesktopState[] = [];
    core.events.on("desktopStateChanged", (state) => changes.push(state));
    const state = await core.handlers.updateDesktopSettings({ hotkeys: { openDialer: "Ctrl+Alt+X", toggleMute: "Alt+Control+X", dialClipboard: "V" } });
    expect(state.hotkeyProblems).toEqual([
      { action: "dialClipboard", accelerator: "V", reason: "invalid", detail: "needs_modifier" },
      { action: "openDialer", accelerator: "Ctrl+Alt+X", reason: "duplicate", other: "toggleMute" },
      { action: "toggleMute", accelerator: "Alt+Control+X", reason: "duplicate", other: "openDialer" },
    ]);
    expect(fake.plans.at(-1)?.active.map((e) => e.action)).toEqual(["answerOrHangUp"]);
    expect(changes).toHaveLength(1);
    await core.close();
    cores.splice(0);
    const again = await start(fakeShell().shell);
    expect((await again.handlers.getDesktopState({})).settings.hotkeys.openDialer).toBe("Ctrl+Alt+X");
  });

  it("refuses a malformed settings request before it reaches the store", async () => {
    const core = await start();
    await expect(dispatch(core.handlers, "updateDesktopSettings", { hotkeys: { dance: "Ctrl+D" } })).resolves.toMatchObject({ ok: false, error: { code: "bad_request" } });
    await expect(dispatch(core.handlers, "updateDesktopSettings", { startAtLogin: "yes" })).resolves.toMatchObject({ ok: false, error: { code: "bad_request" } });
  });

  it("registers or lets go of links when the calling method changes", async () => {
    const fake = fakeShell();
    const core = await start(fake.shell);
    await core.handlers.setCallingMethod({ callingMethod: "other" });
    expect(fake.calls.at(-1)).toBe("link release at change");
    expect((await core.handlers.getDesktopState({})).linkHandler.state).toBe("released");
    await core.handlers.setCallingMethod({ callingMethod: "caller" });
    expect(fake.calls.at(-1)).toBe("link take at change");
  });

  it("keeps the previous calling method, and says why, when the OS refuses", async () => {
    const core = await start(fakeShell({ refuseLinks: true }).shell);
    await expect(core.handlers.setCallingMethod({ callingMethod: "other" })).rejects.toMatchObject({ code: "os_refused" });
    expect((await core.handlers.getCallingMethod({})).callingMethod).toBe("caller");
    expect((await core.handlers.getDesktopState({})).linkHandler).toEqual({ state: "failed", detail: "xdg-mime failed" });
  });

  it("cleans clipboard text into the dialer in the user's country, never dialing", async () => {
    const core = await start();
    await core.handlers.updateSettings({ defaultCountry: "JP" });
    const dials: DialRequest[] = [];
    core.events.on("dialRequested", (request) => dials.push(request));
    await core.handlers.dialText({ text: "Tel. 03-1234-5678 (office)", source: "hotkey" });
    await core.handlers.dialText({ text: "call the office", source: "tray" });
    // The tray's Call button: the main window places it; a refused number is never placed.
    await core.handlers.dialText({ text: "+81312345678", source: "tray", placeCall: true });
    await core.handlers.dialText({ text: "call the office", source: "tray", placeCall: true });
    expect(dials).toEqual([
      { number: "+81312345678", source: "hotkey", problem: null, extension: null },
      { number: "", source: "tray", problem: "letters", extension: null },
      { number: "+81312345678", source: "tray", problem: null, extension: null, placeCall: true },
      { number: "", source: "tray", problem: "letters", extension: null },
    ]);
  });

  it("tells the shells when the phones' combined state changes, once per change", async () => {
    const core = await start();
    const changes: DesktopState["phone"][] = [];
    core.events.on("desktopStateChanged", (state) => changes.push(state.phone));
    await core.handlers.reportPhoneState({ window: "main", registration: "registered", inCall: false });
    await core.handlers.reportPhoneState({ window: "main", registration: "registered", inCall: false });
    await core.handlers.reportPhoneState({ window: "main", registration: "registered", inCall: true });
    // The tray's dialer is idle and still connecting: the call in the main window is what counts.
    await core.handlers.reportPhoneState({ window: "tray", registration: "connecting", inCall: false });
    await core.handlers.reportPhoneState({ window: "main", registration: "offline", inCall: false });
    expect(changes).toEqual([
      { registration: "registered", inCall: false },
      { registration: "registered", inCall: true },
      { registration: "connecting", inCall: false },
    ]);
  });

  it("raises one notice when a verification succeeds, for the shells to show", async () => {
    const core = await start();
    const notices: unknown[] = [];
    core.events.on("desktopNotice", (notice) => notices.push(notice));
    const verification = { id: "v1", number: "+81312345678", failureReason: null, attempts: 1, createdAt: 0, expiresAt: 1, updatedAt: 0 };
    const hub = core.events as unknown as { emit(event: "verificationChanged", payload: unknown): void };
    hub.emit("verificationChanged", { ...verification, state: "answered" });
    hub.emit("verificationChanged", { ...verification, state: "verified" });
    hub.emit("verificationChanged", { ...verification, state: "verified" });
    expect(notices).toEqual([{ kind: "verificationSucceeded", number: "+81312345678" }]);
  });

  it("without a shell, reports links as unsupported and shortcuts as in-window only", async () => {
    const state = await (await start()).handlers.getDesktopState({});
    expect(state.hotkeyScope).toBe("window");
    expect(state.linkHandler.state).toBe("unsupported");
  });
});
