import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { inject } from "vitest";

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
