import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Settings } from "../../../src-shared/api/contract";
import type { Plan, Role } from "../../../src-shared/domain/company";
import { App } from "../../app";
import type { CallerApi } from "../../bridge/api";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

// Unmounted after each test: a root left mounted can still render (a lazy part arriving) after jsdom is gone.
const roots: Root[] = [];

function closeApps(): void {
  act(() => roots.splice(0).forEach((root) => root.unmount()));
  document.body.innerHTML = "";
}

afterEach(() => {
  closeApps();
  window.location.hash = "";
});

const settle = async () => {
  for (let round = 0; round < 6; round++) {
    for (let i = 0; i < 5; i++) await Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
};

/** The whole app signed in as `role` of a company on `plan`; methods a test does not give never answer. */
async function openApp(plan: Plan, role: Role): Promise<void> {
  const settings: Settings = { language: "en", defaultCountry: null };
  const given: Partial<CallerApi> = {
    on: () => () => undefined,
    getSession: () =>
      Promise.resolve({
        signedIn: true,
        serverUrl: "http://127.0.0.1:1",
        user: { id: 2, companyId: 1, email: "someone@demo.example", name: "Someone", role, locale: null },
        company: { id: 1, name: "Demo", plan, isTrial: false, country: "JP", currency: "USD", timeZone: "Asia/Tokyo" },
        callerEnabled: false,
      }),
    getSettings: () => Promise.resolve(settings),
    getSyncState: () => Promise.resolve({ status: "idle", lastSyncedAt: null, error: null, lastSeq: 0 }),
    takeDialRequest: () => Promise.resolve(null),
  };
  const api = new Proxy(given, {
    get: (target, name: string) => (target as Record<string, unknown>)[name] ?? (name === "then" ? undefined : () => new Promise(() => undefined)),
  }) as CallerApi;
  const container = document.createElement("div");
  document.body.append(container);
  await act(async () => {
    const root = createRoot(container);
    roots.push(root);
    root.render(<App api={api} />);
    await settle();
  });
}

const navIds = () => [...document.querySelectorAll("nav [data-testid]")].map((e) => e.getAttribute("data-testid"));

describe("plans without Caller", () => {
  for (const plan of ["essential", "advanced"] as const) {
    it(`on ${plan}, an admin has no dialer and no credits, and the company page shows what the upgrade brings`, async () => {
      await openApp(plan, "admin");
      expect(navIds()).not.toContain("nav-phone");
      expect(navIds()).not.toContain("credits-entry");
      expect(navIds()).toContain("admin-entry");
      expect(document.querySelector("h1")?.textContent).toBe("History");
      expect(document.querySelector("[data-testid=dial-number]")).toBeNull();
      await act(async () => {
        document.querySelector<HTMLElement>("[data-testid=admin-entry]")!.click();
        await settle();
      });
      // The company page loads on first visit.
      const panel = await vi.waitFor(() => document.querySelector("[data-testid=upgrade-panel]") ?? Promise.reject(new Error("no upgrade panel yet")), { timeout: 10_000 });
      expect(panel.textContent).toContain("Upgrade to Professional or Enterprise for Caller");
      expect(panel.textContent).toContain(`Your company is on ${plan === "essential" ? "Essential" : "Advanced"}.`);
      expect(panel.textContent).toContain("$4.00 of calling credit each month");
      expect(document.body.textContent).not.toMatch(/ask an admin/i);
    }, 30_000);
  }

  it("a regular user on Essential is told the plan has no calling, never to ask an admin", async () => {
    await openApp("essential", "regular");
    expect(navIds()).not.toContain("nav-phone");
    expect(document.body.textContent).not.toMatch(/ask an admin/i);
    // The tray is the dialer alone: there it says why there is none.
    window.location.hash = "tray";
    closeApps();
    await openApp("essential", "regular");
    expect(document.querySelector("[data-testid=dial-number]")).toBeNull();
    expect(document.querySelector("[data-testid=no-caller]")?.textContent).toBe("Calling is not part of your planYour company's plan (Essential) does not include Caller, so there is no dialer here.");
    expect(document.body.textContent).not.toMatch(/ask an admin/i);
  }, 30_000);

  it("on Professional the dialer and credits are there, and a user without Caller may ask an admin (one can add them)", async () => {
    await openApp("professional", "regular");
    expect(navIds()).toContain("nav-phone");
    expect(document.querySelector("[data-testid=dial-number]")).not.toBeNull();
    expect(document.body.textContent).toContain("Ask an admin to add you.");
  }, 30_000);
});
