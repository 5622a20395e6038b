import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { chooseLanguage, sharedBrowser, signIn, signOut } from "./support/browser";
import { startCallRig, type CallRig } from "./support/call-app";
import { FarEnd } from "./support/far-end";
import { layoutProblems, openScreens, photograph, type ScreenLanguage, type ScreenSize } from "./support/screens";

// The phone's states and a call's screens, photographed in both languages at the Electron window's default
// and a desktop monitor (test-results/screens/), with the layout checks of the shell suite.
let rig: CallRig;
let farEnd: FarEnd;
const contexts: BrowserContext[] = [];
const sizes: readonly ScreenSize[] = [
  { width: 1100, height: 720 },
  { width: 1920, height: 1080 },
];
const languages: ScreenLanguage[] = ["en", "ja"];
const theme = "light";
const sales = { email: "sales@demo.example", password: "demo-sales" };

beforeAll(async () => {
  rig = await startCallRig("screens-call");
  farEnd = await FarEnd.start(await sharedBrowser(), { wsUrl: rig.pbx.facts.wsUrl, uri: "sip:far-end@127.0.0.1", password: rig.farEndPassword });
});

afterAll(async () => {
  try {
    for (const context of contexts) await context.close().catch(() => undefined);
    await farEnd?.stop();
  } finally {
    await rig?.stop();
  }
});

const phoneState = (page: Page) => page.getByTestId("registration").getAttribute("data-state");
const screenStatus = (page: Page) => page.getByTestId("call-screen").getAttribute("data-status");

async function shoot(page: Page, name: string, language: ScreenLanguage, size: ScreenSize): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => r(null)))));
  await photograph(page, name, { language, theme, size });
  expect(await layoutProblems(page), `${name} ${language} ${size.width}×${size.height}`).toEqual([]);
}

describe("the call screens on screen", () => {
  for (const language of languages) {
    for (const size of sizes) {
      it(`dialer states and a call to a contact in ${language} at ${size.width}×${size.height}`, async () => {
        const { context, page } = await openScreens(await sharedBrowser(), rig.host, { language, theme, size, user: sales });
        contexts.push(context);
        await expect.poll(() => phoneState(page), { timeout: 15_000 }).toBe("ready");
        await shoot(page, "phone-ready", language, size);

        await farEnd.setAction({ kind: "answer", afterMs: 3_000 });
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

        await rig.server.stop();
        await expect.poll(() => phoneState(page), { timeout: 5_000 }).toBe("reconnecting");
        await shoot(page, "phone-reconnecting", language, size);
        await rig.restartServer();
        await expect.poll(() => phoneState(page), { timeout: 10_000 }).toBe("ready");
        await context.close();
      }, 120_000);
    }
  }

  it("the no-number state in both languages and sizes", async () => {
    const { context, page } = await openScreens(await sharedBrowser(), rig.host, { language: "en", theme, size: sizes[0]!, user: sales });
    contexts.push(context);
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
});
