import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext } from "playwright-core";
import { startApp, type RunningApp } from "./support/app";
import { sharedBrowser } from "./support/browser";
import { axeSerious, layoutProblems, openScreens, photograph, screenNav, screenSizes, showScreen, untranslatedText, type ScreenLanguage, type ScreenName, type ScreenTheme } from "./support/screens";

// The app shell and every screen it reaches, photographed in both languages,
// three window sizes and both themes (test-results/screens/), with the checks
// a person would make by eye.
let app: RunningApp;
const contexts: BrowserContext[] = [];
const admin = { email: "admin@demo.example", password: "demo-admin" };

beforeAll(async () => {
  app = await startApp({ hostArgs: ["--sign-in", `${admin.email}:${admin.password}`] });
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await app?.stop();
});

const languages: ScreenLanguage[] = ["en", "ja"];
const themes: ScreenTheme[] = ["light", "dark"];
const screens = Object.keys(screenNav) as ScreenName[];

describe("the app shell on screen", () => {
  for (const language of languages) {
    for (const size of screenSizes) {
      it(`every screen in ${language} at ${size.width}×${size.height}: nothing spills, no scroller in a scroller, no raw keys`, async () => {
        for (const theme of themes) {
          const { context, page } = await openScreens(await sharedBrowser(), app.host, { language, theme, size, user: admin });
          contexts.push(context);
          for (const screen of screens) {
            await showScreen(page, screen);
            await photograph(page, screen, { language, theme, size });
            const problems = await layoutProblems(page);
            expect(problems, `${screen} ${language} ${size.width}×${size.height} ${theme}`).toEqual([]);
            if (screen === "contacts") {
              // A contact's page, opened from the list: numbers, deals and calls.
              await page.getByTestId("contact-link").first().click();
              await page.getByTestId("contact-name").waitFor();
              await photograph(page, "contact-page", { language, theme, size });
              expect(await layoutProblems(page), `contact page ${language} ${size.width}×${size.height} ${theme}`).toEqual([]);
            }
          }
          await context.close();
        }
      }, 180_000);
    }
  }

  it("every Japanese screen is in Japanese: no Latin words outside product names, units, codes and what users wrote", async () => {
    const size = { width: 1100, height: 720 };
    const { context, page } = await openScreens(await sharedBrowser(), app.host, { language: "ja", theme: "light", size, user: admin });
    contexts.push(context);
    for (const screen of screens) {
      await showScreen(page, screen);
      if (screen === "phone") {
        // The dialer's rate line: destination, kind, rate and minutes, all in Japanese.
        await page.getByTestId("dial-number").fill("+819012345678");
        await page.locator("[data-testid=rate-hint][data-state=ready]").waitFor({ timeout: 10_000 });
      }
      expect(await untranslatedText(page), `ja ${screen}`).toEqual([]);
    }
    await context.close();
  }, 120_000);

  it("the tray's small dialer (320×520) fits without a scroller in a scroller, in both languages and themes", async () => {
    const size = { width: 320, height: 520 };
    for (const language of languages) {
      for (const theme of themes) {
        const { context, page } = await openScreens(await sharedBrowser(), app.host, { language, theme, size, user: admin });
        contexts.push(context);
        // Electron opens the tray's page as index.html#tray; here the same page, turned into it.
        await page.evaluate(() => {
          window.location.hash = "tray";
        });
        await page.reload();
        await page.getByTestId("dial-number").waitFor();
        expect(await page.getByTestId("nav-phone").count()).toBe(0);
        await photograph(page, "tray", { language, theme, size });
        expect(await layoutProblems(page), `tray ${language} ${theme}`).toEqual([]);
        await context.close();
      }
    }
  }, 120_000);

  it("has no serious or critical axe-core findings in the shell, light and dark", async () => {
    for (const theme of themes) {
      const { context, page } = await openScreens(await sharedBrowser(), app.host, { language: "en", theme, size: { width: 1100, height: 720 }, user: admin });
      contexts.push(context);
      await showScreen(page, "phone");
      expect(await axeSerious(page), theme).toEqual([]);
      await page.getByTestId("user-menu").click();
      await page.getByRole("menu").waitFor();
      await photograph(page, "user-menu", { language: "en", theme, size: { width: 1100, height: 720 } });
      expect(await axeSerious(page), `${theme}, user menu open`).toEqual([]);
      await context.close();
    }
  }, 120_000);
});
