import { describe, expect, it } from "vitest";
import { acceleratorId, parseAccelerator } from "./accelerator";
import { actionForKey, defaultHotkeys, planHotkeys, registerPlan, type HotkeyBindings } from "./hotkeys";
import { keyEventId } from "./key-event";

const press = (code: string, key: string, mods: { ctrl?: boolean; meta?: boolean; alt?: boolean; shift?: boolean } = {}) => ({
  code,
  key,
  ctrlKey: mods.ctrl ?? false,
  metaKey: mods.meta ?? false,
  altKey: mods.alt ?? false,
  shiftKey: mods.shift ?? false,
});

describe("parseAccelerator", () => {
  it.each<[string, "mac" | "other", string]>([
    ["CommandOrControl+Shift+D", "other", "ctrl+shift+D"],
    ["CommandOrControl+Shift+D", "mac", "cmd+shift+D"],
    ["shift+control+d", "other", "ctrl+shift+D"],
    ["Ctrl+Alt+Space", "other", "ctrl+alt+Space"],
    ["Alt+Enter", "other", "alt+Return"],
    ["Ctrl++", "other", "ctrl+Plus"],
    ["Option+Cmd+num5", "mac", "cmd+alt+num5"],
    ["Super+F12", "other", "super+F12"],
    ["F9", "other", "F9"],
    ["MediaPlayPause", "other", "MediaPlayPause"],
    ["Shift+F24", "other", "shift+F24"],
  ])("%s on %s is %s", (text, platform, id) => {
    const parsed = parseAccelerator(text, platform);
    expect(parsed.ok && acceleratorId(parsed.accelerator)).toBe(id);
  });

  it.each<[string, string]>([
    ["", "empty"],
    ["   ", "empty"],
    ["Ctrl+Shift", "no_key"],
    ["Ctrl+A+B", "two_keys"],
    ["Ctrl+Control+A", "repeated_modifier"],
    ["CmdOrCtrl+Ctrl+A", "repeated_modifier"],
    ["Ctrl+Hyper+A", "unknown_key"],
    ["Ctrl+F25", "unknown_key"],
    ["Ctrl+ü", "unknown_key"],
    ["Ctrl+", "unknown_key"],
    ["D", "needs_modifier"],
    ["Shift+D", "needs_modifier"],
    ["Space", "needs_modifier"],
    [`Ctrl+${"A+".repeat(40)}A`, "too_long"],
  ])("refuses %j: %s", (text, problem) => {
    expect(parseAccelerator(text, "other")).toEqual({ ok: false, problem });
  });
});

describe("planHotkeys", () => {
  it("registers the defaults without problems on every platform", () => {
    for (const platform of ["mac", "other"] as const) {
      const plan = planHotkeys(defaultHotkeys, platform);
      expect(plan.problems).toEqual([]);
      expect(plan.active.map((entry) => entry.action)).toEqual(["openDialer", "dialClipboard", "answerOrHangUp", "toggleMute"]);
    }
  });

  it("reports two actions on one key (spelled differently) and registers neither", () => {
    const bindings: HotkeyBindings = { ...defaultHotkeys, openDialer: "Ctrl+Alt+X", toggleMute: "alt+control+x" };
    const plan = planHotkeys(bindings, "other");
    expect(plan.problems).toEqual([
      { action: "openDialer", accelerator: "Ctrl+Alt+X", reason: "duplicate", other: "toggleMute" },
      { action: "toggleMute", accelerator: "alt+control+x", reason: "duplicate", other: "openDialer" },
    ]);
    expect(plan.active.map((entry) => entry.action)).toEqual(["dialClipboard", "answerOrHangUp"]);
  });

  it("sees CommandOrControl and Ctrl as one key off macOS but two on macOS", () => {
    const bindings: HotkeyBindings = { ...defaultHotkeys, openDialer: "CmdOrCtrl+Alt+X", toggleMute: "Ctrl+Alt+X" };
    expect(planHotkeys(bindings, "other").problems).toHaveLength(2);
    expect(planHotkeys(bindings, "mac").problems).toEqual([]);
  });

  it("reports an invalid accelerator and skips an action with no shortcut", () => {
    const plan = planHotkeys({ ...defaultHotkeys, dialClipboard: "V", answerOrHangUp: null }, "other");
    expect(plan.problems).toEqual([{ action: "dialClipboard", accelerator: "V", reason: "invalid", detail: "needs_modifier" }]);
    expect(plan.active.map((entry) => entry.action)).toEqual(["openDialer", "toggleMute"]);
  });
});

describe("registerPlan", () => {
  it("reports a key the OS refuses as taken, with the plan's own problems", () => {
    const plan = planHotkeys({ ...defaultHotkeys, toggleMute: "M" }, "other");
    const registered: string[] = [];
    const problems = registerPlan(plan, (accelerator) => {
      if (accelerator === defaultHotkeys.answerOrHangUp) return false;
      registered.push(accelerator);
      return true;
    });
    expect(registered).toEqual([defaultHotkeys.openDialer, defaultHotkeys.dialClipboard]);
    expect(problems).toEqual([
      { action: "toggleMute", accelerator: "M", reason: "invalid", detail: "needs_modifier" },
      { action: "answerOrHangUp", accelerator: defaultHotkeys.answerOrHangUp, reason: "taken" },
    ]);
  });
});

describe("in-window shortcuts", () => {
  const plan = planHotkeys(defaultHotkeys, "other");

  it("finds the action for a key press whatever the layout prints", () => {
    expect(actionForKey(plan, keyEventId(press("KeyD", "d", { ctrl: true, alt: true }), "other"))).toBe("openDialer");
    // Shift changes `key` but not `code`; a Japanese layout prints kana.
    expect(actionForKey(plan, keyEventId(press("KeyM", "ｍ", { ctrl: true, alt: true }), "other"))).toBe("toggleMute");
    expect(actionForKey(plan, keyEventId(press("KeyD", "d", { ctrl: true }), "other"))).toBeNull();
    expect(actionForKey(plan, keyEventId(press("ControlLeft", "Control", { ctrl: true }), "other"))).toBeNull();
  });

  it("matches Command on macOS and Super elsewhere", () => {
    const mac = planHotkeys(defaultHotkeys, "mac");
    expect(actionForKey(mac, keyEventId(press("KeyV", "v", { meta: true, alt: true }), "mac"))).toBe("dialClipboard");
    expect(actionForKey(plan, keyEventId(press("KeyV", "v", { meta: true, alt: true }), "other"))).toBeNull();
    expect(keyEventId(press("F5", "F5", { meta: true }), "other")).toBe("super+F5");
    expect(keyEventId(press("Numpad3", "3", {}), "other")).toBe("num3");
    expect(keyEventId(press("Enter", "Enter", { alt: true }), "other")).toBe("alt+Return");
  });
});
