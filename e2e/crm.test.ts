import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { newPage, openJaneCooper, sharedBrowser, signIn } from "./support/browser";
import { startCallRig, type CallRig } from "./support/call-app";
import { FarEnd } from "./support/far-end";
import { readRow } from "./support/sqlite-read";

// A call from Jane Cooper's page (the demo seed's contact for the test far end) through the real PBX, then the server goes away.
const number = "+12015550123";
let rig: CallRig;
let farEnd: FarEnd;
let context: BrowserContext | undefined;

beforeAll(async () => {
  rig = await startCallRig("crm");
  farEnd = await FarEnd.start(await sharedBrowser(), { wsUrl: rig.pbx.facts.wsUrl, uri: "sip:far-end@127.0.0.1", password: rig.farEndPassword });
});

afterAll(async () => {
  try {
    await context?.close().catch(() => undefined);
    await farEnd?.stop();
  } finally {
    await rig?.stop();
  }
});

function serverCall(): { id: number; contact_id: number | null; contact_name: string | null; deal_title: string | null; disposition: string } | undefined {
  return readRow(join(rig.dataDir, "server.sqlite"), "select id, contact_id, contact_name, deal_title, disposition from calls where number = ? order by id desc", number);
}

/** Click-to-call on the page fills the dialer; the user presses Call, talks a moment, hangs up. */
async function callFrom(page: Page, pageId: string): Promise<void> {
  const before = serverCall()?.id;
  await farEnd.setAction({ kind: "answer", afterMs: 300 });
  await page.getByTestId(pageId).locator(`[data-testid="crm-call"][data-number="${number}"]`).click();
  await expect.poll(() => page.getByTestId("dial-number").inputValue()).toBe(number);
  await page.getByRole("button", { name: "Call", exact: true }).click();
  await expect.poll(() => page.getByTestId("call-screen").getAttribute("data-status"), { timeout: 10_000 }).toBe("connected");
  await page.waitForTimeout(1500);
  await page.getByRole("button", { name: "Hang up" }).click();
  await expect.poll(() => serverCall()?.id !== before && serverCall()?.disposition === "answered", { timeout: 15_000 }).toBe(true);
  const done = page.getByRole("button", { name: "Done" });
  if (await done.isVisible()) await done.click();
}

describe("contacts, deals and history", () => {
  it("calls made from a deal's and a contact's page belong to them, appear on the page and in history, and both still work with the server stopped", async () => {
    const opened = await newPage("en-US");
    context = opened.context;
    const page = opened.page;
    page.on("pageerror", (e) => console.log(`[app page error] ${e.message}`));
    await page.goto(await rig.host.launchUrl());
    await signIn(page, "sales@demo.example", "demo-sales");
    await expect.poll(() => page.getByTestId("registration").getAttribute("data-status"), { timeout: 15_000 }).toBe("registered");

    // From the deal's page: the app names the deal to the server after dialing (X-Caller-Call-Id).
    await page.getByTestId("crm-tab-deals").click();
    await page.getByTestId("deal-link").filter({ hasText: "Acme annual licence" }).click();
    await callFrom(page, "deal-page");
    expect(serverCall()).toMatchObject({ contact_name: "Jane Cooper", deal_title: "Acme annual licence" });

    await openJaneCooper(page);
    await callFrom(page, "contact-page");
    expect(serverCall()).toMatchObject({ contact_name: "Jane Cooper", deal_title: null });

    const onPage = page.getByTestId("crm-calls").getByTestId("crm-call-row").filter({ has: page.locator(`[data-e164="${number}"]`) });
    await expect.poll(() => onPage.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => onPage.first().getByTestId("history-disposition").getAttribute("data-disposition"), { timeout: 20_000 }).toBe("answered");

    await page.getByTestId("crm-tab-history").click();
    const row = page.getByTestId("history-list").getByTestId("history-item").filter({ hasText: "Jane Cooper" }).first();
    await expect.poll(() => row.getByTestId("history-disposition").getAttribute("data-disposition"), { timeout: 15_000 }).toBe("answered");

    await rig.server.stop();
    await page.getByTestId("history-search").fill("cooper");
    await expect.poll(() => page.getByTestId("history-totals").getAttribute("data-count")).toBe("2");
    await expect.poll(() => page.getByTestId("history-list").getByTestId("history-item").filter({ has: page.locator(`[data-e164="${number}"]`) }).count()).toBe(2);
    await page.getByTestId("history-search").fill("licence");
    await expect.poll(() => page.getByTestId("history-totals").getAttribute("data-count")).toBe("1");
    await page.getByTestId("history-search").fill("5550123");
    await expect.poll(() => page.getByTestId("history-totals").getAttribute("data-count")).toBe("2");
    await page.getByTestId("history-search").fill("nobody-like-this");
    await expect.poll(() => page.getByTestId("history-totals").getAttribute("data-count")).toBe("0");
    await openJaneCooper(page);
    await expect.poll(() => page.getByTestId("crm-calls").getByTestId("crm-call-row").count()).toBe(2);
  });
});
