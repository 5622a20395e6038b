import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { pdfPagePng } from "../../src-server/test-support/pdf-text";

/**
 * Photographs the real app (server + Node host, e2e/support/app.ts) screen by
 * screen, in a language, a window size and a theme, into test-results/screens/,
 * and checks what a person would notice: text spilling out of rows and cards,
 * a scroller inside a scroller, raw i18n keys, and axe-core's serious or
 * critical findings.
 */

export type ScreenLanguage = "ja" | "en";
export type ScreenTheme = "light" | "dark";
export interface ScreenSize {
  width: number;
  height: number;
}

/** The Electron window's default, a laptop and a desktop monitor. */
export const screenSizes: readonly ScreenSize[] = [
  { width: 1100, height: 720 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];

/** The Electron window's default and a desktop monitor: the two sizes the call screens are photographed at. */
export const callScreenSizes: readonly ScreenSize[] = [
  { width: 1100, height: 720 },
  { width: 1920, height: 1080 },
];

export const screensDir = join("test-results", "screens");

export interface ScreenUser {
  email: string;
  password: string;
}

/** A new context in `language` with the OS theme `theme`, signed in as `user` at `appUrl`, at `size`. */
export async function openScreens(browser: Browser, host: { launchUrl(): Promise<string> }, options: { language: ScreenLanguage; theme: ScreenTheme; size: ScreenSize; user: ScreenUser }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    locale: options.language === "ja" ? "ja-JP" : "en-US",
    colorScheme: options.theme,
    viewport: options.size,
    deviceScaleFactor: 1,
    // axe-core goes in as a script tag, which the app's strict CSP would refuse.
    bypassCSP: true,
  });
  const page = await context.newPage();
  page.on("pageerror", (e) => console.log(`[screens page error] ${e.message}`));
  // Each context is a new browser profile: it needs its own one-time launch (the host trades it for its session cookie).
  await page.goto(await host.launchUrl());
  const signedIn = page.getByTestId("user-menu");
  const email = page.locator('input[type="email"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="user-menu"], input[type="email"]') !== null, null, { timeout: 20_000 });
  if (!(await signedIn.isVisible()) && (await email.isVisible())) {
    await email.fill(options.user.email);
    await page.locator('input[type="password"]').fill(options.user.password);
    await page.locator('form button[type="submit"]').click();
    await signedIn.waitFor({ timeout: 20_000 });
  }
  return { context, page };
}

/** The nav rail's test id for each screen (see components/shell/nav-rail.tsx). */
export const screenNav = {
  phone: "nav-phone",
  history: "crm-tab-history",
  contacts: "crm-tab-contacts",
  deals: "crm-tab-deals",
  credits: "credits-entry",
  company: "admin-entry",
  settings: "personal-entry",
} as const;
export type ScreenName = keyof typeof screenNav;

/** Opens a screen through the nav rail and waits until its loading skeletons are gone. */
export async function showScreen(page: Page, screen: ScreenName): Promise<void> {
  await page.getByTestId(screenNav[screen]).click();
  await page.waitForFunction(() => document.querySelector('[aria-current="page"]') !== null);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="query-loading"], .ui-skeleton').length === 0, null, { timeout: 10_000 }).catch(() => undefined);
  await settleFonts(page);
}

/** Fonts and the last layout settle before a picture. */
export async function settleFonts(page: Page): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => r(null)))));
}

/** Saves a PNG named after what it shows; returns its path. */
export async function photograph(page: Page, name: string, options: { language: ScreenLanguage; theme: ScreenTheme; size: ScreenSize }): Promise<string> {
  mkdirSync(screensDir, { recursive: true });
  const path = join(screensDir, `${name}-${options.language}-${options.size.width}x${options.size.height}-${options.theme}.png`);
  await page.screenshot({ path });
  return path;
}

/** The page as it settles, photographed; returns the layout problems a person would see in it. */
export async function photographSettled(page: Page, name: string, options: { language: ScreenLanguage; theme: ScreenTheme; size: ScreenSize }): Promise<LayoutProblem[]> {
  await settleFonts(page);
  await photograph(page, name, options);
  return layoutProblems(page);
}

/** A PDF the app offers (an invoice), its first page drawn as a reader sees it, beside the screens. */
export async function photographPdf(pdf: Uint8Array, name: string): Promise<string> {
  mkdirSync(screensDir, { recursive: true });
  const path = join(screensDir, `${name}.png`);
  writeFileSync(path, await pdfPagePng(pdf));
  return path;
}

export interface LayoutProblem {
  kind: "overflow" | "nested-scroll" | "raw-i18n-key" | "page-scroll" | "top-bar-wraps";
  where: string;
  detail: string;
}

/** Elements that must never scroll sideways or clip: list rows, cards, the shell's bars. */
export const noOverflowSelectors = [
  ".top-bar",
  ".nav-rail",
  ".status-pill",
  ".ui-card",
  ".dialer",
  ".call-screen",
  ".history-row",
  ".history-details",
  ".crm-list li",
  ".user-list li",
  ".outcome-list li",
  ".credits-admin > section",
  ".personal section",
  ".desktop-settings",
  ".shortcut-row",
];

/** What a person would see as broken, found in the page (runs in the browser). */
export async function layoutProblems(page: Page): Promise<LayoutProblem[]> {
  return page.evaluate((selectors: string[]) => {
    const problems: { kind: string; where: string; detail: string }[] = [];
    const describe = (el: Element) => {
      const id = el.getAttribute("data-testid");
      return `${el.tagName.toLowerCase()}${id ? `[data-testid=${id}]` : ""}${el.className && typeof el.className === "string" ? `.${el.className.trim().split(/\s+/).join(".")}` : ""}`;
    };
    const visible = (el: Element) => (el as HTMLElement).offsetParent !== null || getComputedStyle(el).position === "fixed";
    for (const selector of selectors) {
      for (const el of Array.from(document.querySelectorAll(selector))) {
        if (!visible(el)) continue;
        const { scrollWidth, clientWidth } = el;
        if (scrollWidth > clientWidth + 1) problems.push({ kind: "overflow", where: describe(el), detail: `content ${scrollWidth}px in ${clientWidth}px` });
      }
    }
    const scrolls = (el: Element) => {
      const style = getComputedStyle(el);
      return (/(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 1) || (/(auto|scroll)/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1);
    };
    const main = document.querySelector("main");
    if (main) {
      const scrollers = [main, ...Array.from(main.querySelectorAll("*"))].filter((el) => visible(el) && scrolls(el));
      for (const inner of scrollers) {
        for (let up = inner.parentElement; up; up = up.parentElement) {
          if (scrollers.includes(up)) {
            problems.push({ kind: "nested-scroll", where: describe(inner), detail: `scrolls inside ${describe(up)}` });
            break;
          }
        }
      }
    }
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1 || root.scrollHeight > root.clientHeight + 1) problems.push({ kind: "page-scroll", where: "html", detail: `${root.scrollWidth}×${root.scrollHeight} in ${root.clientWidth}×${root.clientHeight}` });
    const bar = document.querySelector(".top-bar");
    if (bar) {
      const kids = Array.from(bar.querySelectorAll("*")).filter((k) => (k as HTMLElement).offsetParent !== null);
      const barBox = bar.getBoundingClientRect();
      for (const kid of kids) {
        const box = kid.getBoundingClientRect();
        if (box.height > 0 && (box.top < barBox.top - 1 || box.bottom > barBox.bottom + 1)) {
          problems.push({ kind: "top-bar-wraps", where: describe(kid), detail: `outside the bar (${box.top}–${box.bottom} vs ${barBox.top}–${barBox.bottom})` });
          break;
        }
      }
    }
    // i18next shows a missing key as the key itself: "area.some_key".
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? "";
      if (/^[a-z][A-Za-z]*(\.[A-Za-z_]+)+$/.test(text) && node.parentElement && visible(node.parentElement)) problems.push({ kind: "raw-i18n-key", where: describe(node.parentElement), detail: text });
    }
    for (const el of Array.from(document.querySelectorAll("[aria-label], [title], [placeholder]"))) {
      for (const attr of ["aria-label", "title", "placeholder"]) {
        const text = el.getAttribute(attr)?.trim() ?? "";
        if (/^[a-z][A-Za-z]*(\.[A-Za-z_]+)+$/.test(text)) problems.push({ kind: "raw-i18n-key", where: describe(el), detail: `${attr}="${text}"` });
      }
    }
    return problems as LayoutProblem[];
  }, noOverflowSelectors);
}

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** axe-core's serious and critical violations on the page (or inside `include`). */
export async function axeSerious(page: Page, include?: string, skipRules: readonly string[] = []): Promise<AxeFinding[]> {
  const require = createRequire(import.meta.url);
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  return page.evaluate(async ({ scope, skip }) => {
    const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const rules = Object.fromEntries(skip.map((id) => [id, { enabled: false }]));
    const result = await axe.run(scope ? { include: [scope] } : document, { resultTypes: ["violations"], rules });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ id: v.id, impact: v.impact ?? "", help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) }));
  }, { scope: include ?? null, skip: [...skipRules] });
}

/**
 * Latin words a Japanese screen may show: product and protocol names, units,
 * currency and time-zone codes, key names. Anything else in Latin letters on a
 * ja screen is most likely a string that escaped translation.
 */
export const latinAllowList: readonly string[] = [
  "Caller", "Pipedrive", "Asterisk", "SIP", "WebRTC", "PBX", "CRM", "CSV", "URL", "ID", "E", "OS", "OK", "Wi-Fi", "MOS",
  // File formats: "MP3" reads as the word "MP".
  "WAV", "MP", "PDF",
  "USD", "US", "JPY", "EUR", "GMT", "UTC", "JST", "AM", "PM",
  "min", "sec", "s", "ms", "kbps", "KB", "MB", "GB", "kB", "B",
  "Ctrl", "Alt", "Shift", "Cmd", "Command", "Option", "Enter", "Esc", "Tab", "Space", "Backspace", "CommandOrControl", "Mac", "Windows", "Linux",
  "Inmarsat", "OCHA",
  "YYYY", "MM", "DD", "fixed", "mobile", "other", "first", "next",
];

export interface UntranslatedText {
  word: string;
  where: string;
  text: string;
}

/**
 * Visible Latin words outside `allow` on the page (runs in the browser). Skips
 * what users typed or own (inputs, [translate=no], [data-user-content]), and
 * emails, URLs, phone numbers and amounts inside text.
 */
export async function untranslatedText(page: Page, allow: readonly string[] = latinAllowList): Promise<UntranslatedText[]> {
  return page.evaluate((allowed: string[]) => {
    const found: { word: string; where: string; text: string }[] = [];
    const allowSet = new Set(allowed);
    // lang="en" marks words shown as themselves on purpose, such as "English" in a language picker.
    const skip = "input, textarea, select, script, style, code, kbd, [translate=no], [data-user-content], [lang]:not([lang^=ja])";
    const describe = (el: Element) => {
      const id = el.closest("[data-testid]")?.getAttribute("data-testid");
      return `${el.tagName.toLowerCase()}${id ? ` in [data-testid=${id}]` : ""}`;
    };
    const scan = (raw: string, el: Element) => {
      const text = raw
        .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, " ")
        .replace(/https?:\/\/\S+/g, " ")
        .replace(/\+?\d[\d\s()-]{5,}\d/g, " ")
        // Key combinations as typed: Ctrl+Alt+D.
        .replace(/\b(?:[A-Za-z]+\+)+[A-Za-z0-9]+\b/g, " ")
        .replace(/\bF\d{1,2}\b/g, " ");
      for (const match of text.matchAll(/[A-Za-z][A-Za-z'’-]*/g)) {
        const word = match[0].replace(/['’-]+$/, "");
        if (!allowSet.has(word)) found.push({ word, where: describe(el), text: raw.trim().slice(0, 120) });
      }
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || el.closest(skip) || !el.checkVisibility()) continue;
      scan(node.textContent ?? "", el);
    }
    for (const el of Array.from(document.querySelectorAll("[placeholder], [aria-label]"))) {
      if (el.closest("[translate=no], [data-user-content], [lang]:not([lang^=ja])") || !el.checkVisibility()) continue;
      for (const attr of ["placeholder", "aria-label"]) scan(el.getAttribute(attr) ?? "", el);
    }
    for (const option of Array.from(document.querySelectorAll("select option"))) {
      const select = option.closest("select");
      if (select && select.checkVisibility() && !option.closest("[translate=no], [data-user-content], [lang]:not([lang^=ja])")) scan(option.textContent ?? "", option);
    }
    return found;
  }, [...allow]);
}
