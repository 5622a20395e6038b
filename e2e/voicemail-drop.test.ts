import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { encode } from "node-wav";
import { sharedBrowser } from "./support/browser";
import { demoCredentials } from "../src-server/seed/demo";
import { startAppRig, type AppRig } from "./support/call-rig";
import { callScreenSizes, openScreens, photographSettled, showScreen, type ScreenLanguage, type ScreenSize } from "./support/screens";

// Voicemail drop from the app: a greeting uploaded in personal settings (decoded and converted in the
// real Chromium, sent through the core to the real server), left on a call the JsSIP far end answered
// through the real Asterisk. The screens are photographed in both languages at both window sizes.
let rig: AppRig;
const sizes = callScreenSizes;
const theme = "light";
const { sales } = demoCredentials;
const greetingSeconds = 4;

/** 16 kHz stereo: a loud 1 kHz tone of `greetingSeconds`, what an answering machine would record. */
function greetingWav(): Buffer {
  const rate = 16_000;
  const samples = Float32Array.from({ length: rate * greetingSeconds }, (_, i) => 0.6 * Math.sin((2 * Math.PI * 1000 * i) / rate));
  return encode([samples, samples], { sampleRate: rate, bitDepth: 16 });
}

beforeAll(async () => {
  rig = await startAppRig("vm-drop");
}, 120_000);

afterAll(() => rig?.stop());

const screenStatus = (page: Page) => page.getByTestId("call-screen").getAttribute("data-status");

async function shoot(page: Page, name: string, language: ScreenLanguage, size: ScreenSize): Promise<void> {
  await page.setViewportSize(size);
  expect(await photographSettled(page, name, { language, theme, size }), `${name} ${language} ${size.width}×${size.height}`).toEqual([]);
}

async function open(language: ScreenLanguage): Promise<Page> {
  const { context, page } = await openScreens(await sharedBrowser(), rig.base.host, { language, theme, size: sizes[0]!, user: sales });
  rig.contexts.push(context);
  await expect.poll(() => page.getByTestId("registration").getAttribute("data-state"), { timeout: 15_000 }).toBe("ready");
  return page;
}

async function answeredCall(page: Page): Promise<void> {
  await rig.farEnd.setAction({ kind: "answer", afterMs: 300 });
  await page.getByTestId("dial-number").fill("+12015550123");
  await page.locator(".dial-actions button.call").click();
  await expect.poll(() => screenStatus(page), { timeout: 10_000 }).toBe("connected");
}

describe("voicemail drop from the app", () => {
  it("a greeting uploaded in settings is left on an answered call: the far end hears it, the app is free at once, history says Left voicemail", async () => {
    const page = await open("en");
    await showScreen(page, "settings");
    await page.getByTestId("greeting-file").setInputFiles({ name: "Follow-up.wav", mimeType: "audio/wav", buffer: greetingWav() });
    await expect.poll(() => page.getByTestId("greeting-name").inputValue(), { timeout: 10_000 }).toBe("Follow-up");
    await page.getByTestId("greeting-save").click();
    await expect.poll(() => page.getByTestId("greeting-row-name").allTextContents(), { timeout: 10_000 }).toEqual(["Follow-up"]);
    expect(await page.getByTestId("greeting-row").getAttribute("data-default")).toBe("true");
    for (const size of sizes) await shoot(page, "voicemail-greetings", "en", size);

    await showScreen(page, "phone");
    await answeredCall(page);
    await page.getByTestId("voicemail-drop").click();
    await page.getByTestId("voicemail-chooser").waitFor();
    expect(await page.locator("[data-testid=voicemail-choice] input").isChecked()).toBe(true);
    for (const size of sizes) await shoot(page, "voicemail-drop-chooser", "en", size);

    const farCall = (await rig.farEnd.lastCall())!;
    expect(farCall.status).toBe("answered");
    await page.getByTestId("voicemail-leave").click();
    const leftAt = Date.now();
    // The user's leg ends at once and the dialer is back, without the outcome prompt: the server logged the outcome.
    await page.getByTestId("dial-number").waitFor({ timeout: 3_000 });
    expect(Date.now() - leftAt).toBeLessThan(3_000);
    expect(await page.getByTestId("call-outcome").count()).toBe(0);
    // Meanwhile the far end still hears something loud: the greeting (the app's leg is gone).
    let loud = 0;
    while ((await rig.farEnd.lastCall())?.status === "answered" && Date.now() - leftAt < 15_000) {
      if ((await rig.farEnd.media()).inboundAudioLevel > 0.1) loud += 1;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const ended = (await rig.farEnd.lastCall())!;
    expect(ended.status).toBe("ended");
    expect(loud).toBeGreaterThan(5);
    // The PBX hung up after the greeting, not with the app's leg.
    expect(ended.endedAt! - leftAt).toBeGreaterThan((greetingSeconds - 1) * 1000);

    // The app could dial the next number at once; the history row carries the outcome the server logged.
    await showScreen(page, "history");
    await expect.poll(() => page.getByTestId("history-item").first().textContent(), { timeout: 20_000 }).toContain("Left voicemail");
  }, 180_000);

  it("the Japanese greetings settings and drop chooser", async () => {
    const page = await open("ja");
    await showScreen(page, "settings");
    await page.getByTestId("greetings-table").waitFor();
    for (const size of sizes) await shoot(page, "voicemail-greetings", "ja", size);
    await showScreen(page, "phone");
    await answeredCall(page);
    await page.getByTestId("voicemail-drop").click();
    await page.getByTestId("voicemail-chooser").waitFor();
    for (const size of sizes) await shoot(page, "voicemail-drop-chooser", "ja", size);
    await page.keyboard.press("Escape");
    await page.locator("button.hang-up").click();
    await expect.poll(() => screenStatus(page), { timeout: 10_000 }).toBe("ended");
  }, 120_000);
});
