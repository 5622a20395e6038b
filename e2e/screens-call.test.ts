import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { chooseLanguage, sharedBrowser, signIn, signOut } from "./support/browser";
import { demoCredentials } from "../src-server/seed/demo";
import { startAppRig, type AppRig } from "./support/call-rig";
import { axeSerious, callScreenSizes, openScreens, photographSettled, type ScreenLanguage, type ScreenSize } from "./support/screens";

// The phone's states and a call's screens, photographed in both languages at the Electron window's default
// and a desktop monitor (test-results/screens/), with the layout checks of the shell suite.
let rig: AppRig;
const sizes = callScreenSizes;
const languages: ScreenLanguage[] = ["en", "ja"];
const theme = "light";
const { sales, admin } = demoCredentials;

/** The server's admin API as the demo admin (outcomes are company settings, not this window's). */
async function asAdmin(path: string, method: string, body?: unknown): Promise<Response> {
  const signIn = await fetch(`${rig.base.server.url}/api/auth/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(admin) });
  const { token } = (await signIn.json()) as { token: string };
  return fetch(`${rig.base.server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Scrollers inside the phone column (the dialer or the call and its summary): the column must hold its content. */
const phoneColumnScrolls = (page: Page) =>
  page.evaluate(() =>
    [document.querySelector(".phone-column"), ...document.querySelectorAll(".phone-column *")]
      .filter((el): el is Element => el !== null && el.getClientRects().length > 0)
      .filter((el) => {
        const style = getComputedStyle(el);
        return /(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
      })
      .map((el) => `${el.className} ${el.scrollHeight}px in ${el.clientHeight}px`),
  );

beforeAll(async () => {
  rig = await startAppRig("screens-call");
});

afterAll(() => rig?.stop());

const phoneState = (page: Page) => page.getByTestId("registration").getAttribute("data-state");
const screenStatus = (page: Page) => page.getByTestId("call-screen").getAttribute("data-status");

async function shoot(page: Page, name: string, language: ScreenLanguage, size: ScreenSize): Promise<void> {
  expect(await photographSettled(page, name, { language, theme, size }), `${name} ${language} ${size.width}×${size.height}`).toEqual([]);
}

describe("the call screens on screen", () => {
  for (const language of languages) {
    for (const size of sizes) {
      it(`dialer states and a call to a contact in ${language} at ${size.width}×${size.height}`, async () => {
        const { context, page } = await openScreens(await sharedBrowser(), rig.base.host, { language, theme, size, user: sales });
        rig.contexts.push(context);
        await expect.poll(() => phoneState(page), { timeout: 15_000 }).toBe("ready");
        await shoot(page, "phone-ready", language, size);

        await rig.farEnd.setAction({ kind: "answer", afterMs: 3_000 });
        await page.getByTestId("dial-number").fill("+12015550123");
        await page.locator(".dial-actions button.call").click();
        await expect.poll(() => screenStatus(page), { timeout: 10_000 }).toBe("ringing");
        await expect.poll(() => page.getByTestId("call-contact-name").textContent(), { timeout: 5_000 }).toBe("Jane Cooper");
        await shoot(page, "call-ringing", language, size);
        await expect.poll(() => screenStatus(page), { timeout: 10_000 }).toBe("connected");
        await page.waitForTimeout(1_500);
        expect(await page.getByTestId("call-contact-deal").textContent()).toBe("Acme annual licence");
        await shoot(page, "call-connected", language, size);
        await page.locator("button.hang-up").click();
        await expect.poll(() => screenStatus(page), { timeout: 10_000 }).toBe("ended");
        await page.getByTestId("call-summary").waitFor();
        await page.waitForTimeout(1_500);
        await shoot(page, "call-ended", language, size);
        await page.getByTestId("call-again").waitFor();
        await page.locator(".call-actions button").last().click();

        await rig.base.server.stop();
        await expect.poll(() => phoneState(page), { timeout: 5_000 }).toBe("reconnecting");
        await shoot(page, "phone-reconnecting", language, size);
        await rig.base.restartServer();
        await expect.poll(() => phoneState(page), { timeout: 10_000 }).toBe("ready");
        await context.close();
      }, 120_000);
    }
  }

  it("the no-number state in both languages and sizes", async () => {
    const { context, page } = await openScreens(await sharedBrowser(), rig.base.host, { language: "en", theme, size: sizes[0]!, user: sales });
    rig.contexts.push(context);
    await signOut(page);
    await signIn(page, "admin@other.example", "other-admin");
    await expect.poll(() => phoneState(page), { timeout: 15_000 }).toBe("no_number");
    for (const language of languages) {
      await chooseLanguage(page, language);
      await page.keyboard.press("Escape");
      for (const size of sizes) {
        await page.setViewportSize(size);
        await shoot(page, "phone-no-number", language, size);
      }
    }
    await chooseLanguage(page, "system");
    await signOut(page);
  }, 90_000);

  it("the end-of-call summary with a long outcome list fits the phone column, both languages and sizes", async () => {
    // Twelve outcomes: the five defaults and seven of the company's own, some with long names.
    const names = ["Demo booked", "Send pricing", "Call back next week", "Decision maker unavailable", "Asked for a quote", "Not interested", "Follow up by email"];
    const created: number[] = [];
    for (const name of names) {
      const reply = await asAdmin("/api/admin/outcomes", "POST", { name });
      expect(reply.status, name).toBe(200);
      created.push(((await reply.json()) as { id: number }).id);
    }
    try {
      const { context, page } = await openScreens(await sharedBrowser(), rig.base.host, { language: "en", theme, size: sizes[0]!, user: sales });
      rig.contexts.push(context);
      await expect.poll(() => phoneState(page), { timeout: 15_000 }).toBe("ready");
      await rig.farEnd.setAction({ kind: "answer", afterMs: 500 });
      await page.getByTestId("dial-number").fill("+12015550123");
      await page.locator(".dial-actions button.call").click();
      await expect.poll(() => screenStatus(page), { timeout: 10_000 }).toBe("connected");
      await page.locator("button.hang-up").click();
      await expect.poll(() => screenStatus(page), { timeout: 10_000 }).toBe("ended");
      await page.getByTestId("call-summary").waitFor();
      await expect.poll(() => page.getByTestId("outcome-choice").count(), { timeout: 10_000 }).toBe(12);
      for (const language of languages) {
        await chooseLanguage(page, language);
        await page.keyboard.press("Escape");
        for (const size of sizes) {
          await page.setViewportSize(size);
          await shoot(page, "call-ended-12-outcomes", language, size);
          expect(await phoneColumnScrolls(page), `${language} ${size.width}×${size.height}`).toEqual([]);
          // Every choice and the save button are on screen, not below the fold.
          for (const target of [page.getByTestId("outcome-choice").last(), page.getByTestId("call-outcome").locator("button[type=submit]")]) {
            const box = await target.boundingBox();
            expect(box && box.y + box.height <= size.height, `${language} ${size.width}×${size.height}`).toBe(true);
          }
          expect(await axeSerious(page, "[data-testid=call-screen]")).toEqual([]);
        }
      }
      await chooseLanguage(page, "system");
      await context.close();
    } finally {
      for (const id of created) await asAdmin(`/api/admin/outcomes/${id}`, "DELETE");
    }
  }, 120_000);
});
