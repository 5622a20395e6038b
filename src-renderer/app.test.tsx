import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, describe, expect, it } from "vitest";
import type { Settings } from "../src-shared/api/contract";
import { CallerError } from "../src-shared/errors";
import { App } from "./app";
import type { CallerApi } from "./bridge/api";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | null = null;

// Unmounted before the environment goes: a lazy screen resolving later would otherwise render into a torn-down window.
afterEach(() => {
  const mounted = root;
  root = null;
  if (mounted !== null) act(() => mounted.unmount());
  document.body.innerHTML = "";
});

const settle = async () => {
  for (let round = 0; round < 6; round++) {
    for (let i = 0; i < 5; i++) await Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
};

/** A signed-in regular user without Caller (no softphone); methods a test does not give never answer. */
function signedInApi(overrides: Partial<CallerApi>): CallerApi {
  const settings: Settings = { language: null, defaultCountry: null };
  const given: Partial<CallerApi> = {
    on: () => () => undefined,
    getSession: () =>
      Promise.resolve({
        signedIn: true,
        serverUrl: "http://127.0.0.1:1",
        user: { id: 2, companyId: 1, email: "sales@demo.example", name: "Sora Sales", role: "regular", locale: null },
        company: { id: 1, name: "Demo", plan: "professional", isTrial: false, country: "JP", currency: "JPY", timeZone: "Asia/Tokyo" },
        callerEnabled: false,
      }),
    getSettings: () => Promise.resolve(settings),
    getSyncState: () => Promise.resolve({ status: "idle", lastSyncedAt: null, error: null, lastSeq: 0 }),
    ...overrides,
  };
  return new Proxy(given, {
    // Not a thenable: only API method names answer.
    get: (target, name: string) => (target as Record<string, unknown>)[name] ?? (name === "then" ? undefined : () => new Promise(() => undefined)),
  }) as CallerApi;
}

describe("the app's language choice", () => {
  it("says so in a toast when switching the language fails, and keeps the language it had", async () => {
    const api = signedInApi({ updateSettings: () => Promise.reject(new CallerError("internal", "the settings file is read-only")) });
    const container = document.createElement("div");
    document.body.append(container);
    await act(async () => {
      root = createRoot(container);
      root.render(<App api={api} />);
      await settle();
    });
    const menu = document.querySelector<HTMLElement>('[data-testid="user-menu"]')!;
    await act(async () => {
      // Radix opens a menu on pointer down (mouse) or Enter (keyboard).
      menu.focus();
      menu.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
      await settle();
    });
    await act(async () => {
      document.querySelector<HTMLElement>('[data-testid="language-ja"]')!.click();
      await settle();
    });
    const toast = document.querySelector('[data-testid="toast"]');
    expect(toast?.getAttribute("data-tone")).toBe("error");
    expect(toast?.textContent).toContain("The language could not be changed: Something went wrong: the settings file is read-only");
    expect(document.querySelector("h1")?.textContent).toBe("Phone");
  }, 30_000);
});
