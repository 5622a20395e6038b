import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type RunningApp } from "./support/app";
import { sharedBrowser } from "./support/browser";
import { axeSerious, openScreens, photographSettled, showScreen, type ScreenLanguage, type ScreenSize, type ScreenTheme } from "./support/screens";

// The app's dialogs and editors that open over a screen (buying credit, the
// invoice, deleting an outcome, recording a shortcut), photographed in both
// languages, both sizes and both themes, with the same checks as the screens.
let app: RunningApp;
const contexts: BrowserContext[] = [];
const admin = { email: "admin@demo.example", password: "demo-admin" };

beforeAll(async () => {
  app = await startApp({ hostArgs: ["--sign-in", `${admin.email}:${admin.password}`] });
  // An invoice to open: one purchase, made through the server as the admin.
  const signedIn = await fetch(`${app.serverUrl}/api/auth/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(admin) });
  const { token } = (await signedIn.json()) as { token: string };
  const bought = await fetch(`${app.serverUrl}/api/credits/purchases`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ amountMicros: 10_000_000, idempotencyKey: "e2e-dialogs-0001" }),
  });
  if (!bought.ok) throw new Error(`purchase: ${bought.status} ${await bought.text()}`);
});
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await app?.stop();
});

const sizes: ScreenSize[] = [
  { width: 1100, height: 720 },
  { width: 1920, height: 1080 },
];
const themes: ScreenTheme[] = ["light", "dark"];

/**
 * Every animation on the page finished, so the picture shows the dialog as a person sees it. One
 * cancelled meanwhile (its `finished` rejects with AbortError, as CI saw) is over too.
 */
async function settled(page: Page): Promise<void> {
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
}

async function shoot(page: Page, name: string, options: { language: ScreenLanguage; theme: ScreenTheme; size: ScreenSize }, skipRules: readonly string[] = []): Promise<void> {
  await settled(page);
  const where = `${name} ${options.language} ${options.size.width}×${options.size.height} ${options.theme}`;
  expect(await photographSettled(page, name, options), where).toEqual([]);
  expect(await axeSerious(page, undefined, skipRules), where).toEqual([]);
}

describe("dialogs and editors on screen", () => {
  for (const language of ["en", "ja"] as const) {
    it(`purchase confirmation, invoice, outcome deletion and the shortcut recorder in ${language}, both sizes and themes`, async () => {
      for (const size of sizes) {
        for (const theme of themes) {
          const options = { language, theme, size };
          const { context, page } = await openScreens(await sharedBrowser(), app.host, { ...options, user: admin });
          contexts.push(context);

          await showScreen(page, "credits");
          await page.getByTestId("buy-5").click();
          await page.getByTestId("purchase-confirm").waitFor();
          await shoot(page, "dialog-purchase-confirm", options);
          await page.keyboard.press("Escape");
          await page.getByTestId("purchase-confirm").waitFor({ state: "detached" });

          await page.getByTestId("purchase-invoice-link").first().click();
          await page.getByTestId("invoice-dialog").waitFor();
          await shoot(page, "dialog-invoice", options);
          await page.keyboard.press("Escape");
          await page.getByTestId("invoice-dialog").waitFor({ state: "detached" });

          await showScreen(page, "company");
          await page.getByTestId("admin-tab-outcomes").click();
          const row = page.getByTestId("outcome-row").first();
          await row.locator("button.danger").click();
          const confirm = page.getByTestId("confirm-dialog");
          await confirm.waitFor();
          // The question names the outcome, in the UI's language.
          expect(await confirm.textContent()).toContain(await row.getAttribute("data-name"));
          await shoot(page, "dialog-outcome-delete", options);
          await page.keyboard.press("Escape");
          await confirm.waitFor({ state: "detached" });
          // Escape is "no": the outcome is still there.
          expect(await page.getByTestId("outcome-row").count()).toBeGreaterThan(0);

          await showScreen(page, "settings");
          const recorder = page.getByTestId("hotkey-openDialer");
          await recorder.scrollIntoViewIfNeeded();
          await recorder.click();
          await expect.poll(() => recorder.getAttribute("data-shortcut-recording")).toBe("true");
          await shoot(page, "shortcut-recording", options);
          await page.keyboard.press("Control+Alt+K");
          await expect.poll(() => recorder.getAttribute("data-accelerator")).toBe("CommandOrControl+Alt+K");
          await shoot(page, "shortcut-recorded", options);
          await context.close();
        }
      }
    }, 240_000);
  }
});
