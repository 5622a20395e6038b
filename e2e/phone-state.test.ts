import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { startHostProcess, type RunningHost } from "./support/app";
import { openAppAs } from "./support/browser";
import { startCallRig, type CallRig } from "./support/call-app";

// The phone's one state against the real server, the run's shared Asterisk and a real Chromium: it says
// "Ready to call" only when a call can go out, and comes back by itself when the server does.
let rig: CallRig;
const contexts: BrowserContext[] = [];
const hosts: RunningHost[] = [];

beforeAll(async () => {
  rig = await startCallRig("phone-state");
});

afterAll(async () => {
  try {
    for (const context of contexts) await context.close().catch(() => undefined);
    for (const host of hosts) await host.stop().catch(() => undefined);
  } finally {
    await rig?.stop();
  }
});

const sales = { email: "sales@demo.example", password: "demo-sales", name: "Sora Sales" };
const noNumber = { email: "admin@other.example", password: "other-admin", name: "Oliver Other" };
const pill = (page: Page) => page.getByTestId("registration");
const phoneState = (page: Page) => pill(page).getAttribute("data-state");

/** Every phone state the page showed, from now on (a MutationObserver in the page, so no poll can miss a short one). */
async function recordStates(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const w = window as unknown as { seenStates: string[] };
    w.seenStates = [];
    const note = () => {
      const state = document.querySelector("[data-testid=registration]")?.getAttribute("data-state");
      if (state && w.seenStates.at(-1) !== state) w.seenStates.push(state);
    };
    note();
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-state"] });
  });
  return () => page.evaluate(() => (window as unknown as { seenStates: string[] }).seenStates);
}

async function msUntil(page: Page, state: string, timeoutMs: number): Promise<number> {
  const start = Date.now();
  await expect.poll(() => phoneState(page), { timeout: timeoutMs, interval: 50 }).toBe(state);
  return Date.now() - start;
}

describe("the phone state", () => {
  it("says within 2 s that the server is gone, offers Retry, and is ready again within 5 s of its return, without a reload", async () => {
    const page = await openAppAs(rig.host, contexts, sales);
    await expect.poll(() => phoneState(page), { timeout: 15_000 }).toBe("ready");
    expect(await pill(page).textContent()).toBe("Ready to call");
    const loads: number[] = [];
    page.on("load", () => loads.push(Date.now()));

    await rig.server.stop();
    expect(await msUntil(page, "reconnecting", 2_000)).toBeLessThan(2_000);
    expect(await pill(page).textContent()).toContain("Reconnecting…");
    await expect.poll(() => page.getByTestId("phone-state-action").textContent()).toBe("Retry");
    // Pressing Retry while it is still down changes nothing but tries.
    await page.getByTestId("phone-state-action").click();
    expect(await phoneState(page)).toBe("reconnecting");
    expect(await page.textContent("body")).not.toMatch(/sign in again/i);

    await rig.restartServer();
    expect(await msUntil(page, "ready", 5_000)).toBeLessThan(5_000);
    expect(loads).toEqual([]);
  }, 60_000);

  it("started with the server down, it says so with Retry, then becomes ready by itself once the server starts", async () => {
    // The session is kept on disk: a new host on the same data starts signed in, with no server to talk to.
    for (const context of contexts.splice(0)) await context.close();
    await rig.host.stop();
    await rig.server.stop();
    const host = await startHostProcess(rig.server.url, rig.dataDir);
    hosts.push(host);
    const page = await openAppAs(host, contexts, sales);
    await expect.poll(() => phoneState(page), { timeout: 10_000 }).toBe("reconnecting");
    await expect.poll(() => page.getByTestId("phone-state-action").textContent()).toBe("Retry");
    const seen = await recordStates(page);
    // Long enough that a one-shot start (the old behaviour) would have given up.
    await new Promise((r) => setTimeout(r, 4_000));

    await rig.restartServer();
    expect(await msUntil(page, "ready", 5_000)).toBeLessThan(5_000);
    expect(await seen()).not.toContain("refused");
    expect(await page.textContent("body")).not.toMatch(/sign in again/i);
  }, 60_000);

  it("a user without a verified number never sees Ready to call, is offered Connect your number, and a refused call asks no outcome", async () => {
    const [host] = hosts;
    const page = await openAppAs(host!, contexts, noNumber);
    const seen = await recordStates(page);
    await expect.poll(() => pill(page).getAttribute("data-status"), { timeout: 15_000 }).toBe("registered");
    await expect.poll(() => phoneState(page), { timeout: 5_000 }).toBe("no_number");
    expect(await pill(page).textContent()).toContain("No number to call from");
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await seen()).not.toContain("ready");

    // The PBX still refuses if asked: the call ends before it rings, and no outcome is asked or queued for it.
    await page.getByTestId("dial-number").fill("+12015550123");
    await page.getByRole("button", { name: "Call", exact: true }).click();
    await expect.poll(() => page.getByTestId("call-status").textContent(), { timeout: 15_000 }).toBe("Call failed: your caller ID number is not verified yet.");
    await expect.poll(() => page.getByTestId("call-summary").isVisible()).toBe(true);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await page.getByTestId("call-outcome").count()).toBe(0);
    expect(await page.getByTestId("outcome-saved").count()).toBe(0);
    await page.getByRole("button", { name: "Done" }).click();
    expect(await page.getByTestId("pending-outcomes").count()).toBe(0);

    await page.getByTestId("phone-state-action").click();
    await expect.poll(() => page.getByTestId("connected-number").getAttribute("data-number")).toBe("");
    expect(await seen()).not.toContain("ready");
  }, 60_000);
});
