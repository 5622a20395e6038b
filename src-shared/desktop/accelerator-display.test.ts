import { describe, expect, it } from "vitest";
import { acceleratorFromKeyEvent, acceleratorKeys, formatAccelerator } from "./accelerator-display";
import { parseAccelerator } from "./accelerator";

const press = (code: string, mods: { ctrl?: boolean; meta?: boolean; alt?: boolean; shift?: boolean } = {}) => ({
  key: code.replace(/^Key/, "").toLowerCase(),
  code,
  ctrlKey: mods.ctrl ?? false,
  metaKey: mods.meta ?? false,
  altKey: mods.alt ?? false,
  shiftKey: mods.shift ?? false,
});

describe("shortcuts shown the platform's way", () => {
  it("writes CommandOrControl+Alt+D as Ctrl+Alt+D on Windows and Linux and ⌥⌘D on a Mac", () => {
    expect(formatAccelerator("CommandOrControl+Alt+D", "other")).toBe("Ctrl+Alt+D");
    expect(formatAccelerator("CommandOrControl+Alt+D", "mac")).toBe("⌥⌘D");
    expect(acceleratorKeys("Control+Shift+Alt+Up", "mac")).toEqual(["⌃", "⌥", "⇧", "↑"]);
  });

  it("shows text that is not a shortcut as it is", () => {
    expect(formatAccelerator("Ctrl+Nope", "other")).toBe("Ctrl+Nope");
  });
});

describe("a recorded key press stored as Electron accelerator text", () => {
  it("stores the platform's main modifier as CommandOrControl", () => {
    expect(acceleratorFromKeyEvent(press("KeyD", { ctrl: true, alt: true }), "other")).toBe("CommandOrControl+Alt+D");
    expect(acceleratorFromKeyEvent(press("KeyD", { meta: true, alt: true }), "mac")).toBe("CommandOrControl+Alt+D");
    expect(acceleratorFromKeyEvent(press("KeyD", { ctrl: true, meta: true }), "mac")).toBe("Control+CommandOrControl+D");
  });

  it("waits for a key while only modifiers are down, and what it stores parses back", () => {
    expect(acceleratorFromKeyEvent({ key: "Control", code: "ControlLeft", ctrlKey: true, metaKey: false, altKey: false, shiftKey: false }, "other")).toBeNull();
    for (const platform of ["mac", "other"] as const) {
      const text = acceleratorFromKeyEvent(press("F5", { shift: true, alt: true }), platform)!;
      expect(parseAccelerator(text, platform).ok).toBe(true);
    }
  });
});
