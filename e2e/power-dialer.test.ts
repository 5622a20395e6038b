import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { localWeekMinute } from "../src-shared/dialer/calling-hours";
import { sharedBrowser } from "./support/browser";
import { demoCredentials } from "../src-server/seed/demo";
import { startAppRig, type AppRig } from "./support/call-rig";
import { callScreenSizes, openScreens, photographSettled, showScreen, type ScreenLanguage } from "./support/screens";

// The power dialer end to end: a queue built from the Contacts list (its search is the filter) in the
// real Chromium, run through the core, the real server's precheck and the real Asterisk to the JsSIP far
// end, which answers every call. One contact is in London, outside the company's calling hours (set
// around Tokyo's current time, so London, nine hours behind, is always outside): it is skipped with
// the reason shown. Each next call dials as soon as the previous outcome is saved, with no other click.
let rig: AppRig;
const sizes = callScreenSizes;
const theme = "light";
const { sales } = demoCredentials;
const contacts: [string, string][] = [
  ["PD Aoi", "+819012340001"],
  ["PD Ben", "+819012340002"],
  ["PD London", "+447911123456"],
  ["PD Chika", "+819012340003"],
  ["PD Daiki", "+819012340004"],
];

async function api(method: string, path: string, token: string | null, body?: unknown): Promise<unknown> {
  const reply = await fetch(new URL(path, rig.base.server.url), {
    method,
    headers: { "content-type": "application/json", ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!reply.ok) throw new Error(`${method} ${path}: ${reply.status} ${await reply.text()}`);
  return reply.json();
}
const tokenFor = async (email: string, password: string) => ((await api("POST", "/api/auth/sign-in", null, { email, password })) as { token: string }).token;

/** Tokyo's minute of the day now, as the server judges calling hours. */
const tokyoMinuteNow = (): number => localWeekMinute(Date.now(), "Asia/Tokyo").minute;

/**
 * The window around Tokyo's time now: at least 90 minutes, never across midnight. Set before each
 * test: a window set once for the file ran out at Tokyo's midnight while the file ran (CI at 15:00 UTC
 * found Aoi outside the hours). A test takes a few minutes at most, so in the last 6 minutes before
 * Tokyo's midnight it waits for the new day rather than get a window that ends under it.
 */
async function setHoursAroundTokyoNow(adminToken: string): Promise<void> {
  const left = 1440 - tokyoMinuteNow();
  if (left <= 6) await new Promise((r) => setTimeout(r, left * 60_000 + 1_000 - (Date.now() % 60_000)));
  const minute = tokyoMinuteNow();
  const from = Math.max(0, minute - 60);
  const to = Math.min(1440, minute + 90);
  const clock = (m: number) => (m === 1440 ? "24:00" : `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`);
  await api("PUT", "/api/company/calling-hours", adminToken, { hours: { days: [0, 1, 2, 3, 4, 5, 6], from: clock(from), to: clock(to) } });
}

let adminToken: string;
beforeAll(async () => {
  rig = await startAppRig("power-dialer");
  const salesToken = await tokenFor(sales.email, sales.password);
  for (const [name, number] of contacts) await api("POST", "/api/crm/people", salesToken, { name, phones: [{ number, label: "mobile" }] });
  adminToken = await tokenFor("admin@demo.example", "demo-admin");
}, 120_000);

beforeEach(() => setHoursAroundTokyoNow(adminToken), 10 * 60_000);

afterAll(() => rig?.stop());

async function shoot(page: Page, name: string, language: ScreenLanguage): Promise<void> {
  for (const size of sizes) {
    await page.setViewportSize(size);
    expect(await photographSettled(page, name, { language, theme, size }), `${name} ${language} ${size.width}×${size.height}`).toEqual([]);
  }
  await page.setViewportSize(sizes[0]!);
}

async function open(language: ScreenLanguage): Promise<Page> {
  const { context, page } = await openScreens(await sharedBrowser(), rig.base.host, { language, theme, size: sizes[0]!, user: sales });
  rig.contexts.push(context);
  await expect.poll(() => page.getByTestId("registration").getAttribute("data-state"), { timeout: 15_000 }).toBe("ready");
  return page;
}

const screenStatus = (page: Page) => page.getByTestId("call-screen").getAttribute("data-status").catch(() => null);

/** From the Contacts list searched for the test's contacts: all of them, or only the ticked ones. */
async function buildQueue(page: Page, language: ScreenLanguage, ticked: string[] = []): Promise<void> {
  await showScreen(page, "contacts");
  await page.getByTestId("contact-search").fill("PD ");
  await expect.poll(() => page.getByTestId("contact-link").count(), { timeout: 10_000 }).toBe(contacts.length);
  for (const name of ticked) await page.locator("li", { has: page.getByTestId("contact-link").filter({ hasText: name }) }).getByTestId("contact-select").check();
  await shoot(page, "power-dialer-builder", language);
  await page.getByTestId("queue-build").click();
  await page.getByTestId("dial-queue").waitFor({ timeout: 10_000 });
}

/** Hang up a connected queue call and save its first outcome: the only click between two queue calls. */
async function finishCall(page: Page): Promise<void> {
  await page.waitForTimeout(800);
  await page.locator("button.hang-up").click();
  await page.getByTestId("call-outcome").waitFor({ timeout: 10_000 });
  await page.getByTestId("outcome-choice").first().locator("input").check();
  await page.getByTestId("call-outcome").locator("button[type=submit]").click();
}

const itemsByName = (page: Page) =>
  page.getByTestId("dial-queue-item").evaluateAll((items) =>
    Object.fromEntries(items.map((i) => [i.querySelector(".dial-queue-name")?.textContent ?? "", `${i.getAttribute("data-state")}${i.getAttribute("data-skip-reason") ? `/${i.getAttribute("data-skip-reason")}` : ""}`])),
  );

describe("the power dialer", () => {
  it("a queue of 5 contacts runs to the end: each outcome saved dials the next, London is skipped for calling hours, progress is shown", async () => {
    const page = await open("en");
    await buildQueue(page, "en");
    expect(await page.getByTestId("dial-queue-progress").textContent()).toBe("1 of 5");
    await rig.farEnd.setAction({ kind: "answer", afterMs: 300 });
    const callsBefore = (await rig.farEnd.calls()).length;
    await page.getByTestId("dial-queue-start").click();

    const called: string[] = [];
    for (let call = 0; call < 4; call += 1) {
      await expect.poll(() => screenStatus(page), { timeout: 15_000 }).toBe("connected");
      called.push((await page.getByTestId("dial-queue-status").textContent()) ?? "");
      if (call === 0) await shoot(page, "power-dialer-running", "en");
      await finishCall(page);
    }
    await expect.poll(() => page.getByTestId("dial-queue").getAttribute("data-status"), { timeout: 15_000 }).toBe("finished");
    expect(called.sort()).toEqual(["Calling PD Aoi", "Calling PD Ben", "Calling PD Chika", "Calling PD Daiki"]);
    expect(await itemsByName(page)).toEqual({ "PD Aoi": "done", "PD Ben": "done", "PD Chika": "done", "PD Daiki": "done", "PD London": "skipped/outside_calling_hours" });
    expect(await page.getByTestId("dial-queue-item").filter({ hasText: "PD London" }).textContent()).toContain("Outside calling hours");
    expect(await page.getByTestId("dial-queue-progress").textContent()).toBe("5 of 5");
    // Four calls reached the far end; London never rang.
    expect((await rig.farEnd.calls()).slice(callsBefore)).toHaveLength(4);
    await shoot(page, "power-dialer-skipped", "en");
  }, 240_000);

  it("Skip while the call rings hangs up and dials the next with no outcome asked; an answered call has no Skip, only its outcome", async () => {
    const page = await open("en");
    await showScreen(page, "contacts");
    await page.getByTestId("contact-search").fill("PD ");
    await expect.poll(() => page.getByTestId("contact-link").count(), { timeout: 10_000 }).toBe(contacts.length);
    for (const name of ["PD Aoi", "PD Ben"]) await page.locator("li", { has: page.getByTestId("contact-link").filter({ hasText: name }) }).getByTestId("contact-select").check();
    await page.getByTestId("queue-build").click();
    await page.getByTestId("dial-queue").waitFor({ timeout: 10_000 });
    await rig.farEnd.setAction({ kind: "silent" });
    const callsBefore = (await rig.farEnd.calls()).length;
    await page.getByTestId("dial-queue-start").click();
    await expect.poll(() => screenStatus(page), { timeout: 15_000 }).toBe("ringing");
    await expect.poll(async () => (await rig.farEnd.calls()).length, { timeout: 10_000 }).toBe(callsBefore + 1);
    await rig.farEnd.setAction({ kind: "answer", afterMs: 300 });
    await page.getByTestId("dial-queue-skip").click();

    await expect.poll(() => screenStatus(page), { timeout: 15_000 }).toBe("connected");
    expect(await page.getByTestId("dial-queue-status").textContent()).toBe("Calling PD Ben");
    // The skipped call was never answered and no picker asked about it; the answered one offers no Skip.
    expect((await rig.farEnd.calls())[callsBefore]).toMatchObject({ toUser: "+819012340001", answeredAt: null });
    expect(await page.getByTestId("dial-queue-skip").count()).toBe(0);
    expect(await page.getByTestId("call-outcome").count()).toBe(0);
    expect(await page.getByTestId("dial-queue-item").filter({ hasText: "PD Aoi" }).textContent()).toContain("Skipped while ringing: logged as No answer");
    await finishCall(page);
    await expect.poll(() => page.getByTestId("dial-queue").getAttribute("data-status"), { timeout: 15_000 }).toBe("finished");
    expect(await itemsByName(page)).toEqual({ "PD Aoi": "skipped/by_user", "PD Ben": "done" });
    await page.getByTestId("dial-queue").getByRole("button", { name: "Close" }).click();
  }, 180_000);

  it("the Japanese builder, running queue and skipped rows, from ticked rows", async () => {
    const page = await open("ja");
    await buildQueue(page, "ja", ["PD Aoi", "PD London"]);
    expect(await page.getByTestId("dial-queue-progress").textContent()).toBe("2 件中 1 件目");
    await rig.farEnd.setAction({ kind: "answer", afterMs: 300 });
    await page.getByTestId("dial-queue-start").click();
    await expect.poll(() => screenStatus(page), { timeout: 15_000 }).toBe("connected");
    await shoot(page, "power-dialer-running", "ja");
    await finishCall(page);
    await expect.poll(() => page.getByTestId("dial-queue").getAttribute("data-status"), { timeout: 15_000 }).toBe("finished");
    expect(await page.getByTestId("dial-queue-item").filter({ hasText: "PD London" }).textContent()).toContain("発信可能時間外です");
    await shoot(page, "power-dialer-skipped", "ja");
  }, 180_000);
});
