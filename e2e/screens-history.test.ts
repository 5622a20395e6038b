import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordingSettings } from "../src-shared/server-api/recordings";
import { sharedBrowser } from "./support/browser";
import { startCallRig, type CallRig } from "./support/call-app";
import { FarEnd } from "./support/far-end";
import { axeSerious, layoutProblems, openScreens, photograph, showScreen, type ScreenLanguage, type ScreenSize } from "./support/screens";
import { readRow } from "./support/sqlite-read";

// Call history as a table, photographed in ja and en at the Electron window's default size and
// on a desktop monitor, with a row opened on its recording: real calls through Asterisk, real
// recordings, real Chromium. Checks what a person would: no spill, no scroller in a scroller, axe.
const admin = { email: "admin@demo.example", password: "demo-admin" };
const numbers = ["+12015550123", "+81355501234"];
const sizes: ScreenSize[] = [
  { width: 1100, height: 720 },
  { width: 1920, height: 1080 },
];
let rig: CallRig;
let farEnd: FarEnd;
const contexts: BrowserContext[] = [];
let recordings: number[] = [];

async function api(path: string, method: string, token: string, body?: unknown): Promise<Response> {
  return fetch(`${rig.server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const lastRecordingId = (): number => readRow<{ id: number }>(join(rig.dataDir, "server.sqlite"), "select id from recordings order by id desc")?.id ?? 0;

/** One recorded call from the dialer, ended with a default outcome (stored by its key). */
async function recordedCall(page: Page, number: string, outcome: string): Promise<number> {
  const before = lastRecordingId();
  await farEnd.setAction({ kind: "answer", afterMs: 300 });
  await page.getByTestId("dial-number").fill(number);
  await page.getByRole("button", { name: "Call", exact: true }).click();
  await expect.poll(() => page.getByTestId("call-screen").getAttribute("data-status"), { timeout: 10_000 }).toBe("connected");
  await page.waitForTimeout(2500);
  await page.getByRole("button", { name: "Hang up" }).click();
  await expect.poll(() => page.getByTestId("call-status").textContent()).toBe("Call ended");
  await page.getByTestId("outcome-choice").filter({ hasText: outcome }).click();
  await page.getByRole("button", { name: "Save outcome" }).click();
  await page.getByTestId("outcome-saved").waitFor({ timeout: 15_000 });
  await page.getByRole("button", { name: "Done" }).click();
  await expect.poll(lastRecordingId, { timeout: 20_000 }).toBeGreaterThan(before);
  return lastRecordingId();
}

beforeAll(async () => {
  rig = await startCallRig("screens-history");
  farEnd = await FarEnd.start(await sharedBrowser(), { wsUrl: rig.pbx.facts.wsUrl, uri: "sip:far-end@127.0.0.1", password: rig.farEndPassword });
  const signIn = await fetch(`${rig.server.url}/api/auth/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(admin) });
  const token = ((await signIn.json()) as { token: string }).token;
  const policy: Partial<RecordingSettings> = { enabled: true, enforced: true, consentAnnouncement: false, ownerDownload: true };
  const set = await api("/api/admin/recording-settings", "PATCH", token, policy);
  if (set.status !== 200) throw new Error(`recording policy refused: ${set.status}`);
}, 120_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await farEnd?.stop();
  await rig?.stop();
});

/** Opens the row of a recording and starts it; resolves once it plays. */
async function playRecording(page: Page, recordingId: number): Promise<void> {
  const toggle = page.locator(`[data-testid="history-details-toggle"][data-recording-id="${recordingId}"]`);
  await toggle.waitFor({ timeout: 20_000 });
  if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
  const player = page.locator(`[data-testid="recording-player"][data-recording-id="${recordingId}"]`);
  await player.getByTestId("recording-play").click();
  await expect.poll(() => player.getByTestId("recording-play").getAttribute("aria-pressed"), { timeout: 10_000 }).toBe("true");
  await player.getByTestId("recording-waveform").waitFor();
}

const labels: Record<ScreenLanguage, { voicemail: string; search: string }> = {
  en: { voicemail: "Left voicemail", search: "voicemail" },
  ja: { voicemail: "留守電にメッセージ", search: "留守電" },
};

describe("call history on screen", () => {
  it("has two recorded calls to show, each ended with a default outcome", async () => {
    const { context, page } = await openScreens(await sharedBrowser(), rig.host, { language: "en", theme: "light", size: { width: 1280, height: 800 }, user: admin });
    contexts.push(context);
    await expect.poll(() => page.getByTestId("registration").getAttribute("data-status"), { timeout: 15_000 }).toBe("registered");
    recordings = [await recordedCall(page, numbers[0]!, "Left voicemail"), await recordedCall(page, numbers[1]!, "Connected")];
    await context.close();
    expect(recordings[1]).toBeGreaterThan(recordings[0]!);
  }, 180_000);

  for (const language of ["en", "ja"] as const) {
    for (const size of sizes) {
      it(`in ${language} at ${size.width}×${size.height}: sorted table, an opened recording, one playing at a time, nothing spills, axe clean`, async () => {
        const { context, page } = await openScreens(await sharedBrowser(), rig.host, { language, theme: "light", size, user: admin });
        contexts.push(context);
        await showScreen(page, "history");
        const rows = page.getByTestId("history-list").getByTestId("history-row");
        await expect.poll(() => rows.count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);

        // Outcomes in the UI language, found by that language's words; who made the call (an admin's view).
        const voicemail = rows.filter({ has: page.locator(`[data-e164="${numbers[0]}"]`) });
        await expect.poll(() => voicemail.getByTestId("history-outcome").textContent()).toBe(labels[language].voicemail);
        expect(await voicemail.getByTestId("history-made-by").textContent()).toBe("Aiko Admin");
        await page.getByTestId("history-search").fill(labels[language].search);
        await expect.poll(() => page.getByTestId("history-totals").getAttribute("data-count")).toBe("1");
        await page.getByTestId("history-search").fill("");
        await expect.poll(() => page.getByTestId("history-totals").getAttribute("data-count")).toBe("2");

        // Sorted by number/contact: the +1 number before the +81 one, aria-sort says so.
        await page.getByTestId("history-sort-party").getByRole("button").click();
        await expect.poll(() => page.getByTestId("history-sort-party").getAttribute("aria-sort")).toBe("ascending");
        await expect.poll(() => rows.first().getByTestId("history-number").getAttribute("data-e164")).toBe(numbers[0]);

        // One recording at a time: the second starting pauses the first.
        await playRecording(page, recordings[0]!);
        await playRecording(page, recordings[1]!);
        const first = page.locator(`[data-testid="recording-player"][data-recording-id="${recordings[0]}"]`);
        // Opening the second row closed the first (one row open at a time), which also stops its audio.
        expect(await first.count()).toBe(0);
        await playRecording(page, recordings[0]!);
        const second = page.locator(`[data-testid="recording-player"][data-recording-id="${recordings[1]}"]`);
        expect(await second.count()).toBe(0);

        await page.mouse.move(0, 0);
        const path = await photograph(page, "history-recording", { language, theme: "light", size });
        console.log(`[screens-history] ${path}`);
        expect(await layoutProblems(page), `${language} ${size.width}×${size.height}`).toEqual([]);
        expect(await axeSerious(page), `${language} ${size.width}×${size.height}`).toEqual([]);
        await context.close();
      }, 120_000);
    }
  }
});
