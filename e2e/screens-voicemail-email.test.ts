import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverPaths } from "../src-shared/server-api/paths";
import { voicemailEmailPaths } from "../src-shared/server-api/voicemail-email";
import { startSmtpCapture, type SmtpCapture } from "../src-server/mail/testing/smtp-capture";
import { startApp, type RunningApp } from "./support/app";
import { sharedBrowser } from "./support/browser";
import { axeSerious, openScreens, photographSettled, showScreen, type ScreenLanguage, type ScreenSize } from "./support/screens";

// Settings → "Email me my voicemails" through the app, the core and the real
// server: with a mail server the switch turns the server's setting off; without
// one the section says voicemails are not emailed. Both photographed in ja and
// en at both sizes.
let smtp: SmtpCapture;
let withMail: RunningApp;
let withoutMail: RunningApp;
const contexts: BrowserContext[] = [];
const sales = { email: "sales@demo.example", password: "demo-sales" };
const sizes: ScreenSize[] = [
  { width: 1100, height: 720 },
  { width: 1920, height: 1080 },
];

beforeAll(async () => {
  smtp = await startSmtpCapture();
  withMail = await startApp({ hostArgs: ["--sign-in", `${sales.email}:${sales.password}`], serverArgs: ["--smtp", `${smtp.host}:${smtp.port}`] });
  withoutMail = await startApp({ hostArgs: ["--sign-in", `${sales.email}:${sales.password}`] });
}, 180_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await withMail?.stop();
  await withoutMail?.stop();
  await smtp?.close();
});

async function serverSetting(app: RunningApp): Promise<unknown> {
  const signIn = await fetch(new URL(serverPaths.signIn, app.serverUrl), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(sales) });
  const { token } = (await signIn.json()) as { token: string };
  return (await fetch(new URL(voicemailEmailPaths.setting, app.serverUrl), { headers: { authorization: `Bearer ${token}` } })).json();
}

async function openSettings(app: RunningApp, language: ScreenLanguage): Promise<Page> {
  const { context, page } = await openScreens(await sharedBrowser(), app.host, { language, theme: "light", size: sizes[0]!, user: sales });
  contexts.push(context);
  await showScreen(page, "settings");
  const section = page.getByTestId("voicemail-email");
  await page.getByTestId("voicemail-email-switch").waitFor();
  await section.scrollIntoViewIfNeeded();
  return page;
}

async function shoot(page: Page, name: string, language: ScreenLanguage): Promise<void> {
  for (const size of sizes) {
    await page.setViewportSize(size);
    // Centred, so the whole section (and its note) is in the picture at the small size too.
    await page.getByTestId("voicemail-email").evaluate((el) => el.scrollIntoView({ block: "center" }));
    expect(await photographSettled(page, name, { language, theme: "light", size }), `${name} ${language} ${size.width}×${size.height}`).toEqual([]);
  }
  expect(await axeSerious(page)).toEqual([]);
}

describe("Settings → Voicemail by email", () => {
  for (const language of ["en", "ja"] as const) {
    it(`with a mail server, the switch turns the server's setting off and on (${language})`, async () => {
      const page = await openSettings(withMail, language);
      const section = page.getByTestId("voicemail-email");
      expect(await section.getAttribute("data-mail")).toBe("true");
      expect(await section.getAttribute("data-on")).toBe("true");
      await shoot(page, "settings-voicemail-email-on", language);
      await page.getByTestId("voicemail-email-switch").click();
      await expect.poll(() => section.getAttribute("data-on"), { timeout: 10_000 }).toBe("false");
      expect(await serverSetting(withMail)).toEqual({ on: false, mailConfigured: true });
      await shoot(page, "settings-voicemail-email-off", language);
      await page.getByTestId("voicemail-email-switch").click();
      await expect.poll(() => section.getAttribute("data-on"), { timeout: 10_000 }).toBe("true");
      expect(await serverSetting(withMail)).toEqual({ on: true, mailConfigured: true });
    }, 180_000);

    it(`without a mail server, the section says voicemails are not emailed (${language})`, async () => {
      const page = await openSettings(withoutMail, language);
      const section = page.getByTestId("voicemail-email");
      expect(await section.getAttribute("data-mail")).toBe("false");
      expect(await page.getByTestId("voicemail-email-switch").isDisabled()).toBe(true);
      expect(await section.textContent()).toContain(language === "en" ? "no mail server" : "メールサーバーが設定されていない");
      await shoot(page, "settings-voicemail-email-no-mail", language);
    }, 180_000);
  }
});
