import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expect, inject } from "vitest";

let browser: Browser | null = null;

/** The run's shared Chromium, attached over CDP once per test file. */
export async function sharedBrowser(): Promise<Browser> {
  browser ??= await chromium.connectOverCDP(inject("cdpEndpoint"));
  return browser;
}

/** A fresh, isolated browser context (own storage) in the given locale. */
export async function newPage(locale = "en-US"): Promise<{ context: BrowserContext; page: Page }> {
  const context = await (await sharedBrowser()).newContext({ locale });
  const page = await context.newPage();
  return { context, page };
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel(/Email|メールアドレス/).fill(email);
  await page.getByLabel(/^(Password|パスワード)$/).fill(password);
  await page.getByRole("button", { name: /^(Sign in|サインイン)$/ }).click();
}

/** A running Node host: each new browser context opens the app through a fresh one-time launch URL. */
export interface LaunchesApp {
  launchUrl(): Promise<string>;
}

export interface AppUser {
  email: string;
  password: string;
  /** As the top bar shows it. */
  name: string;
}

/**
 * One app page at a time (the host's core holds one session for every page):
 * closes the pages in `contexts`, opens the app from `host` in a new one and ends
 * signed in as `user`, signing whoever else was in out first.
 */
export async function openAppAs(host: LaunchesApp, contexts: BrowserContext[], user: AppUser): Promise<Page> {
  for (const old of contexts.splice(0)) await old.close();
  const { context, page } = await newPage("en-US");
  contexts.push(context);
  page.on("pageerror", (e) => console.log(`[app page error] ${e.message}`));
  await page.goto(await host.launchUrl());
  const userMenu = page.getByTestId("user-menu");
  const emailField = page.getByLabel("Email");
  await expect.poll(async () => (await userMenu.isVisible()) || (await emailField.isVisible())).toBe(true);
  if (await userMenu.isVisible()) {
    if ((await page.locator(".who").textContent())?.includes(user.name)) return page;
    await signOut(page);
  }
  await signIn(page, user.email, user.password);
  await userMenu.waitFor();
  return page;
}

/** Signed in: the account menu at the top right is there. */
export const signedInMarker = (page: Page) => page.getByTestId("user-menu");

/** Account menu → Sign out. */
export async function signOut(page: Page): Promise<void> {
  await page.getByTestId("user-menu").click();
  await page.getByRole("menuitem", { name: /^(Sign out|サインアウト)$/ }).click();
}

/** Account menu → Language → `choice` (the menu closes on the choice). */
export async function chooseLanguage(page: Page, choice: "system" | "ja" | "en"): Promise<void> {
  await page.getByTestId("user-menu").click();
  await page.getByTestId(`language-${choice}`).click();
}

/** In the app's CRM: Contacts, search "jane", open the demo company's Jane Cooper. */
export async function openJaneCooper(page: Page): Promise<void> {
  await page.getByTestId("crm-tab-contacts").click();
  await page.getByTestId("contact-search").fill("jane");
  await expect.poll(() => page.getByTestId("contact-link").count(), { timeout: 15_000 }).toBe(1);
  await page.getByTestId("contact-link").click();
  await expect.poll(() => page.getByTestId("contact-name").textContent()).toBe("Jane Cooper");
}
