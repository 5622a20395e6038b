import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext } from "playwright-core";
import { startApp, type RunningApp } from "./support/app";
import { chooseLanguage, newPage, signIn, signOut } from "./support/browser";

let app: RunningApp;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await app?.stop();
});

async function open(locale?: string) {
  const { context, page } = await newPage(locale);
  contexts.push(context);
  await page.goto(app.appUrl);
  return page;
}

describe("the app in Chromium through the Node host", () => {
  it("signs in the demo admin, validates numbers, shows the admin entry and switches language", async () => {
    const page = await open("en-US");
    await expect.poll(() => page.getByRole("heading", { name: "Sign in to Caller" }).isVisible()).toBe(true);
    await signIn(page, "admin@demo.example", "demo-admin");

    const number = page.getByTestId("dial-number");
    await number.waitFor();
    const status = page.getByTestId("dial-status");
    await number.fill("12");
    await expect.poll(() => status.textContent()).toBe("This number is too short.");
    await number.fill("03-1234-ABCD");
    await expect.poll(() => status.textContent()).toBe("A phone number cannot contain letters.");
    await number.fill("03-1234-5678");
    await expect.poll(() => status.textContent()).toBe("Will dial +81312345678");
    await expect.poll(() => page.getByRole("button", { name: "Call" }).isEnabled()).toBe(true);
    await expect.poll(() => page.getByTestId("history-empty").isVisible()).toBe(true);

    await page.getByTestId("admin-entry").click();
    await page.getByTestId("admin-tab-users").click();
    await expect.poll(() => page.getByTestId("company-users").textContent()).toContain("Sora Sales");

    await chooseLanguage(page, "ja");
    await expect.poll(() => page.getByTestId("admin-entry").textContent()).toBe("会社");
    await page.getByTestId("nav-phone").click();
    await expect.poll(() => page.getByRole("heading", { name: "ダイヤル" }).isVisible()).toBe(true);
    await number.fill("12");
    await expect.poll(() => status.textContent()).toBe("番号が短すぎます。");
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe("ja");

    await page.reload();
    await expect.poll(() => page.getByRole("heading", { name: "ダイヤル" }).isVisible()).toBe(true);
    // Back to "follow the system": this en-US browser gets English again.
    await chooseLanguage(page, "system");
    await expect.poll(() => page.getByRole("heading", { name: "Dialer" }).isVisible()).toBe(true);
    await signOut(page);
    await expect.poll(() => page.getByRole("heading", { name: "Sign in to Caller" }).isVisible()).toBe(true);
  });

  it("shows a regular user the dialer but no admin entry, and a wrong password a clear message", async () => {
    const page = await open("en-US");
    await signIn(page, "sales@demo.example", "wrong-password");
    await expect.poll(() => page.getByRole("alert").textContent()).toBe("Wrong email or password.");
    await signIn(page, "sales@demo.example", "demo-sales");
    await page.getByTestId("dial-number").waitFor();
    expect(await page.getByTestId("admin-entry").count()).toBe(0);
    expect(await page.getByTestId("credits-entry").count()).toBe(0);
    await signOut(page);
  });

  it("follows a Japanese browser's language until the user chooses another", async () => {
    const page = await open("ja-JP");
    await expect.poll(() => page.getByRole("heading", { name: "Caller にサインイン" }).isVisible()).toBe(true);
  });

  it("refuses the core's WebSocket to a page without the launch token", async () => {
    const page = await open("en-US");
    const origin = new URL(app.appUrl).origin;
    const outcome = await page.evaluate(async (wsUrl) => {
      return new Promise<string>((resolve) => {
        const ws = new WebSocket(wsUrl, ["caller-v1", "token.forged"]);
        ws.onopen = () => resolve("open");
        ws.onerror = () => resolve("refused");
      });
    }, `${origin.replace("http", "ws")}/api`);
    expect(outcome).toBe("refused");
  });
});
