import { act, type ReactNode } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, describe, expect, it } from "vitest";
import type { DesktopState } from "../../../src-shared/api/areas/desktop";
import type { EventName } from "../../../src-shared/api/contract";
import { defaultHotkeys, type HotkeyAction } from "../../../src-shared/desktop/hotkeys";
import { AppProviders } from "../../app-providers";
import type { CallerApi } from "../../bridge/api";
import { createI18n } from "../../i18n/i18n";
import { Dialer } from "../dialer";
import { loadNumberTools } from "../use-number-tools";
import { ShortcutSettings } from "./shortcut-settings";
import { useDesktopShortcuts } from "./use-desktop-shortcuts";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const state = (patch: Partial<DesktopState> = {}): DesktopState => ({
  settings: { hotkeys: defaultHotkeys, startAtLogin: false },
  hotkeyScope: "window",
  hotkeyProblems: [],
  platform: "other",
  linkHandler: { state: "registered", detail: null },
  phone: { registration: "registered", inCall: false },
  ...patch,
});

/** A scripted API: the methods a test gives, and `emit` for core events. */
function fakeApi(methods: Partial<CallerApi> = {}) {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const api = new Proxy(methods, {
    get(target, name: string) {
      if (name === "on") {
        return (event: EventName, listener: (payload: unknown) => void) => {
          const set = listeners.get(event) ?? new Set();
          listeners.set(event, set);
          set.add(listener);
          return () => set.delete(listener);
        };
      }
      return (target as Record<string, unknown>)[name] ?? (() => Promise.reject(new Error(`unexpected API call ${name}`)));
    },
  }) as CallerApi;
  const emit = (event: EventName, payload: unknown) => act(() => listeners.get(event)?.forEach((listener) => listener(payload)));
  return { api, emit };
}

async function render(node: ReactNode, api: CallerApi): Promise<HTMLElement> {
  const i18n = await createI18n("en");
  const container = document.createElement("div");
  document.body.append(container);
  await act(async () => {
    const root = createRoot(container);
    roots.push(root);
    root.render(
      <AppProviders api={api} i18n={i18n}>
        {node}
      </AppProviders>,
    );
    await Promise.resolve();
  });
  return container;
}

// Unmounted after each test: a root left mounted can still render (a lazy part arriving) after jsdom is gone.
const roots: Root[] = [];

afterEach(() => {
  act(() => roots.splice(0).forEach((root) => root.unmount()));
  document.body.innerHTML = "";
});

describe("paste-to-dial in the dialer", () => {
  function paste(input: HTMLInputElement, text: string): boolean {
    const event = new Event("paste", { bubbles: true, cancelable: true }) as Event & { clipboardData: { getData: () => string } };
    event.clipboardData = { getData: () => text };
    let notCancelled = true;
    act(() => {
      notCancelled = input.dispatchEvent(event);
    });
    return notCancelled;
  }

  it("turns pasted text with a number into E.164, and leaves other pastes to the browser", async () => {
    const numbers: string[] = [];
    // The number rules load just after the dialer's first paint; a paste after that is cleaned.
    await loadNumberTools();
    const container = await render(<Dialer defaultCountry="JP" callerEnabled number="" onNumberChange={(n) => numbers.push(n)} />, fakeApi().api);
    const input = container.querySelector<HTMLInputElement>("#dial-number")!;
    expect(paste(input, "Tel. 03-1234-5678 (office)")).toBe(false);
    expect(numbers).toEqual(["+81312345678"]);
    expect(paste(input, "see you tomorrow")).toBe(true);
    expect(numbers).toEqual(["+81312345678"]);
  });
});

describe("shortcuts inside the window", () => {
  function Harness({ api, desktop, log }: { api: CallerApi; desktop: DesktopState; log: HotkeyAction[] }) {
    useDesktopShortcuts(api, desktop, {
      openDialer: () => log.push("openDialer"),
      dialClipboard: () => log.push("dialClipboard"),
      answerOrHangUp: () => log.push("answerOrHangUp"),
      toggleMute: () => log.push("toggleMute"),
    });
    return null;
  }

  const key = (code: string, mods: KeyboardEventInit = {}) => {
    const event = new KeyboardEvent("keydown", { code, key: code.replace(/^Key/, "").toLowerCase(), bubbles: true, cancelable: true, ...mods });
    act(() => void document.body.dispatchEvent(event));
    return event.defaultPrevented;
  };

  it("runs the action for its keys, leaves other keys alone, and hears the shell's global presses", async () => {
    const log: HotkeyAction[] = [];
    const { api, emit } = fakeApi();
    await render(<Harness api={api} desktop={state({ settings: { hotkeys: { ...defaultHotkeys, toggleMute: "F9" }, startAtLogin: false } })} log={log} />, api);
    expect(key("KeyD", { ctrlKey: true, altKey: true })).toBe(true);
    expect(key("KeyD", { ctrlKey: true })).toBe(false);
    expect(key("F9")).toBe(true);
    emit("shortcutPressed", { action: "answerOrHangUp" });
    expect(log).toEqual(["openDialer", "toggleMute", "answerOrHangUp"]);
  });
});

describe("shortcut settings", () => {
  it("shows every problem by its shortcut and saves the keys the user pressed, shown the platform's way", async () => {
    const saved: unknown[] = [];
    const { api } = fakeApi({
      updateDesktopSettings: (request) => {
        saved.push(request);
        return Promise.resolve(state());
      },
    });
    const problems: DesktopState["hotkeyProblems"] = [
      { action: "toggleMute", accelerator: "Ctrl+Alt+D", reason: "duplicate", other: "openDialer" },
      { action: "answerOrHangUp", accelerator: "Ctrl+Alt+A", reason: "taken" },
      { action: "dialClipboard", accelerator: "V", reason: "invalid", detail: "needs_modifier" },
    ];
    const container = await render(<ShortcutSettings state={state({ hotkeyProblems: problems })} shell="node-host" />, api);
    const text = (action: string) => container.querySelector(`[data-testid="hotkey-problem-${action}"]`)?.textContent;
    expect(text("toggleMute")).toBe("Ctrl+Alt+D is also the shortcut for “Open the dialer”: choose another for one of them.");
    expect(text("answerOrHangUp")).toBe("Ctrl+Alt+A is already used by your computer or another app.");
    expect(text("dialClipboard")).toBe("V is not a shortcut Caller can use: add Ctrl, Alt or ⌘, or it would fire while you type.");
    expect(container.querySelector('[data-testid="link-handler-state"]')?.textContent).toBe("callto: and tel: links open in Caller.");

    const field = container.querySelector<HTMLButtonElement>('[data-testid="hotkey-openDialer"]')!;
    // Keys the platform's way, with the "+" visible; the field's name is made of what is on screen: the action, then the keys.
    const named = () => (field.getAttribute("aria-labelledby") ?? "").split(" ").map((id) => container.querySelector(`[id="${id}"]`)?.textContent);
    expect(named()).toEqual(["Open the dialer", "Ctrl+Alt+D"]);
    await act(async () => {
      field.click();
      await Promise.resolve();
    });
    expect(field.getAttribute("data-recording")).toBe("true");
    await act(async () => {
      // A lone modifier waits for the key; then Ctrl+Shift+F2 is the shortcut.
      field.dispatchEvent(new KeyboardEvent("keydown", { key: "Control", code: "ControlLeft", ctrlKey: true, bubbles: true }));
      field.dispatchEvent(new KeyboardEvent("keydown", { key: "F2", code: "F2", ctrlKey: true, shiftKey: true, bubbles: true }));
      await Promise.resolve();
    });
    expect(field.getAttribute("data-recording")).toBe("false");
    expect(named()).toEqual(["Open the dialer", "Ctrl+Shift+F2"]);
    await act(async () => {
      container.querySelector("form")!.requestSubmit();
      await Promise.resolve();
    });
    expect(saved).toEqual([{ hotkeys: { ...defaultHotkeys, openDialer: "CommandOrControl+Shift+F2" } }]);
  });
});
