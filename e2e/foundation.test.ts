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
  await page.goto(await app.host.launchUrl());
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

  it("keeps working across a reload: the window's session cookie, not the spent launch URL, lets it back in", async () => {
    const page = await open("en-US");
    await signIn(page, "sales@demo.example", "demo-sales");
    await page.getByTestId("dial-number").waitFor();
    expect(new URL(page.url()).pathname).toBe("/");
    await page.reload();
    await page.getByTestId("dial-number").fill("03-1234-5678");
    await expect.poll(() => page.getByTestId("dial-status").textContent()).toBe("Will dial +81312345678");
    await signOut(page);
    await page.getByLabel("Email").waitFor();
  });

  it("refuses the core's WebSocket to a page that did not come through a launch URL, and a launch URL used twice", async () => {
    const { context, page } = await newPage("en-US");
    contexts.push(context);
    const launchUrl = await app.host.launchUrl();
    await (await newPage("en-US")).page.goto(launchUrl).then(async (response) => {
      expect(response?.ok()).toBe(true);
      await response?.frame().page().context().close();
    });
    const replay = await page.goto(launchUrl);
    expect(replay?.status()).toBe(403);
    expect(await page.textContent("body")).toContain("This link to open Caller has been used already or has expired.");
    await page.goto(app.host.url);
    const code = new URL(launchUrl).searchParams.get("code") ?? "";
    const outcome = await page.evaluate(
      async ([wsUrl, forged]) => {
        const attempt = (protocols: string[]) =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(wsUrl, protocols);
            ws.onopen = () => resolve("open");
            ws.onerror = () => resolve("refused");
          });
        return [await attempt(["caller-v1"]), await attempt(["caller-v1", `token.${forged}`])];
      },
      [`${app.host.url.replace("http", "ws")}api`, code] as const,
    );
    expect(outcome).toEqual(["refused", "refused"]);
  });
});
