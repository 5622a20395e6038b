import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext } from "playwright-core";
import { startApp, type RunningApp } from "./support/app";
import { sharedBrowser } from "./support/browser";
import { layoutProblems, openScreens, photograph, screensDir, settleFonts, type ScreenLanguage } from "./support/screens";

// The dialer as a start shows it: the number field and keypad where they first appear stay
// put while the parts loaded after the first paint (history beside it, the top bar's sync
// time, lazy panels) arrive. Photographed in both languages at the Electron default and a
// desktop monitor; the boxes are written beside the pictures to compare builds.
let app: RunningApp;
const contexts: BrowserContext[] = [];
const admin = { email: "admin@demo.example", password: "demo-admin" };
const sizes = [
  { width: 1100, height: 720 },
  { width: 1920, height: 1080 },
];
const watched = [".dialer", "[data-testid=dial-number]", ".keypad", ".dial-actions", ".top-bar", ".nav-rail"];

beforeAll(async () => {
  app = await startApp({ hostArgs: ["--sign-in", `${admin.email}:${admin.password}`] });
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await app?.stop();
});

/** Runs in the page before its scripts: the boxes of `selectors` in the first frame that shows the number field. */
function recordFirstPaint(selectors: string[]): void {
  const boxes = () => Object.fromEntries(selectors.map((s) => [s, document.querySelector(s)?.getBoundingClientRect().toJSON() as unknown]));
  const observer = new MutationObserver(() => {
    if (!document.querySelector("[data-testid=dial-number]")) return;
    observer.disconnect();
    requestAnimationFrame(() => ((window as unknown as { firstPaintBoxes: unknown }).firstPaintBoxes = boxes()));
  });
  observer.observe(document, { childList: true, subtree: true });
}

describe("the dialer as the app starts", () => {
  for (const language of ["en", "ja"] as ScreenLanguage[]) {
    for (const size of sizes) {
      it(`in ${language} at ${size.width}×${size.height}: the number field and keypad do not move after the first paint`, async () => {
        const browser = await sharedBrowser();
        // A first context signs in and is closed: the measured start is a warm one, like a user's.
        const { context, page } = await openScreens(browser, app.host, { language, theme: "light", size, user: admin });
        contexts.push(context);
        await page.getByTestId("dial-number").waitFor();
        await page.close();
        const measured = await context.newPage();
        await measured.addInitScript(recordFirstPaint, watched);
        await measured.goto(app.host.url);
        await measured.getByTestId("dial-number").waitFor();
        // Settled: history beside the dialer has loaded and nothing is loading any more.
        await measured.getByTestId("sync-state").waitFor();
        await measured.waitForFunction(() => document.querySelectorAll('[data-testid="query-loading"], .ui-skeleton').length === 0, null, { timeout: 20_000 });
        await settleFonts(measured);
        const first = await measured.waitForFunction(() => (window as unknown as { firstPaintBoxes?: unknown }).firstPaintBoxes).then((h) => h.jsonValue() as Promise<Record<string, DOMRect | undefined>>);
        const settled = await measured.evaluate((selectors) => Object.fromEntries(selectors.map((s) => [s, document.querySelector(s)?.getBoundingClientRect().toJSON() as DOMRect | undefined])), watched);
        await photograph(measured, "dialer-start", { language, theme: "light", size });
        mkdirSync(screensDir, { recursive: true });
        writeFileSync(join(screensDir, `dialer-start-${language}-${size.width}x${size.height}.json`), JSON.stringify({ first, settled }, null, 2));
        // Across: nothing moves. Down: the field and keypad keep their place in the dialer, whose top may
        // move only for the phone state's reason above it (a state the start learns, not a part loading late).
        const place = (boxes: Record<string, DOMRect | undefined>, selector: string) => {
          const box = boxes[selector];
          // The top bar is above the dialer: its own place; the rest, their place in the dialer.
          if (!box) return undefined;
          const y = selector === ".top-bar" || selector === ".dialer" ? { y: selector === ".top-bar" ? box.y : 0 } : { fromDialerTop: box.y - (boxes[".dialer"]?.y ?? 0) };
          return { selector, x: box.x, width: box.width, height: box.height, ...y };
        };
        for (const selector of [".dialer", "[data-testid=dial-number]", ".keypad", ".dial-actions", ".top-bar"]) {
          expect(settled[selector], selector).toBeDefined();
          expect(place(first, selector)).toEqual(place(settled, selector));
        }
        expect(first[".dialer"]?.y === settled[".dialer"]?.y || (await measured.getByTestId("phone-state-reason").count()) > 0).toBe(true);
        expect(await layoutProblems(measured)).toEqual([]);
      }, 120_000);
    }
  }
});
