import { existsSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordingSettings } from "../src-shared/server-api/recordings";
import { startServerProcess, type RunningProcess } from "./support/app";
import { newPage, sharedBrowser, signIn } from "./support/browser";
import { startCallRig, type CallRig } from "./support/call-app";
import { FarEnd } from "./support/far-end";
import { readRow } from "./support/sqlite-read";

// A recording played once keeps playing with the company server stopped, and its download follows the company's setting offline too.
const number = "+12015550123";
let rig: CallRig;
let farEnd: FarEnd;
let context: BrowserContext | null = null;
/** The server started again after the rig's was stopped (same port, database and PBX). */
let restarted: RunningProcess | null = null;
let adminToken = "";

beforeAll(async () => {
  rig = await startCallRig("recording-cache");
  farEnd = await FarEnd.start(await sharedBrowser(), { wsUrl: rig.pbx.facts.wsUrl, uri: "sip:far-end@127.0.0.1", password: rig.farEndPassword });
  const reply = await fetch(`${rig.server.url}/api/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "admin@demo.example", password: "demo-admin" }),
  });
  adminToken = ((await reply.json()) as { token: string }).token;
});

afterAll(async () => {
  try {
    await context?.close().catch(() => undefined);
    await farEnd?.stop();
    await restarted?.stop();
  } finally {
    await rig?.stop();
  }
});

async function setPolicy(policy: Partial<RecordingSettings>): Promise<void> {
  const reply = await fetch(`${rig.server.url}/api/admin/recording-settings`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: JSON.stringify(policy),
  });
  expect(reply.status).toBe(200);
}

function lastRecording(): { id: number; callId: number; sha256: string } | undefined {
  return readRow(join(rig.dataDir, "server.sqlite"), "select r.id, r.call_id as callId, r.sha256 from recordings r order by r.id desc");
}

async function stopServer(): Promise<void> {
  await (restarted ?? rig.server).stop();
  restarted = null;
}

/** The same server command line as the rig's (call-app.ts), on the same port, so the app finds it again. */
async function restartServer(): Promise<void> {
  const port = new URL(rig.server.url).port;
  const appWsUrl = rig.pbx.facts.wsUrl.replace(/:\d+\//, `:${rig.wsProxy.port}/`);
  restarted = await startServerProcess(rig.dataDir, ["--port", port, "--pbx-env", join(rig.pbx.facts.runtimeDir, "pbx.env"), "--sip-ws-url", appWsUrl]);
}

/** Plays from the start: the audio element gets a duration, and its position moves. */
async function playsThrough(player: Locator): Promise<void> {
  await player.getByTestId("recording-play").click();
  const audio = player.locator("audio");
  await expect.poll(() => audio.count(), { timeout: 10_000 }).toBe(1);
  await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.duration), { timeout: 10_000 }).toBeGreaterThan(1);
  await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.currentTime), { timeout: 10_000 }).toBeGreaterThan(0.3);
  await expect.poll(() => player.getByTestId("recording-waveform").count()).toBe(1);
}

/** The history's player for the recording, after a reload of the app. */
async function playerAfterReload(page: Page, recordingId: number): Promise<Locator> {
  await page.reload();
  return openPlayer(page, recordingId);
}

/** The player is in the call's row details: opened by the row's recording button. */
async function openPlayer(page: Page, recordingId: number): Promise<Locator> {
  await page.locator(`[data-testid="history-details-toggle"][data-recording-id="${recordingId}"]`).click({ timeout: 20_000 });
  const player = page.locator(`[data-testid="recording-player"][data-recording-id="${recordingId}"]`);
  await expect.poll(() => player.count(), { timeout: 20_000 }).toBe(1);
  return player;
}

/** Asks the app's core directly over the page's own bridge connection, as a UI that ignored the hidden button would. */
function coreDownload(page: Page, id: number): Promise<{ ok: boolean; code?: string; fileName?: string }> {
  return page.evaluate(async (recordingId) => {
    // The page's own session cookie goes with it, as with the app's bridge.
    const ws = new WebSocket(`ws://${location.host}/api`, ["caller-v1"]);
    await new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = reject)));
    const reply = await new Promise<string>((resolve) => {
      ws.onmessage = (m) => {
        const message = JSON.parse(String(m.data)) as { t: string };
        if (message.t === "result") resolve(String(m.data));
      };
      ws.send(JSON.stringify({ t: "call", id: 1, method: "downloadRecording", request: { id: String(recordingId) } }));
    });
    ws.close();
    const { envelope } = JSON.parse(reply) as { envelope: { ok: boolean; value?: { fileName: string }; error?: { code: string } } };
    return envelope.ok ? { ok: true, fileName: envelope.value?.fileName } : { ok: false, code: envelope.error?.code };
  }, id);
}

describe("recordings offline", () => {
  it("a recording played in history plays again from the cache with the server stopped; its download follows the company's setting", async () => {
    await setPolicy({ enabled: true, enforced: true, consentAnnouncement: false, ownerDownload: false });
    const opened = await newPage("en-US");
    context = opened.context;
    const { page } = opened;
    page.on("pageerror", (e) => console.log(`[app page error] ${e.message}`));
    await page.goto(await rig.host.launchUrl());
    await signIn(page, "sales@demo.example", "demo-sales");
    await expect.poll(() => page.getByTestId("registration").getAttribute("data-status"), { timeout: 15_000 }).toBe("registered");

    const before = lastRecording()?.id ?? 0;
    await farEnd.setAction({ kind: "answer", afterMs: 300 });
    await page.getByTestId("dial-number").fill(number);
    await page.getByRole("button", { name: "Call", exact: true }).click();
    await expect.poll(() => page.getByTestId("call-screen").getAttribute("data-status"), { timeout: 10_000 }).toBe("connected");
    await page.waitForTimeout(3000);
    await page.getByRole("button", { name: "Hang up" }).click();
    await expect.poll(() => page.getByTestId("call-status").textContent()).toBe("Call ended");
    await page.getByRole("button", { name: "Done" }).click();
    await expect.poll(() => lastRecording()?.id ?? 0, { timeout: 20_000 }).toBeGreaterThan(before);
    const recording = lastRecording()!;

    // Online: played once, so kept on disk under its sha256.
    const player = await openPlayer(page, recording.id);
    expect(await player.getByTestId("recording-download").count()).toBe(0);
    await playsThrough(player);
    await expect.poll(() => player.getAttribute("data-offline")).toBe("cached");
    expect(existsSync(join(rig.dataDir, "desktop", "recordings", `${recording.sha256}.wav`))).toBe(true);

    // Offline: history reloads from the mirror, the player from the cache; no download, and the core refuses one.
    await stopServer();
    const offline = await playerAfterReload(page, recording.id);
    expect(await offline.getAttribute("data-offline")).toBe("cached");
    await playsThrough(offline);
    expect(await offline.getByTestId("recording-download").count()).toBe(0);
    expect(await coreDownload(page, recording.id)).toEqual({ ok: false, code: "forbidden" });

    // The company allows owner downloads: the next online visit to history tells the cache.
    await restartServer();
    await setPolicy({ ownerDownload: true });
    const online = await playerAfterReload(page, recording.id);
    await expect.poll(() => online.getByTestId("recording-download").count(), { timeout: 15_000 }).toBe(1);

    await stopServer();
    const allowed = await playerAfterReload(page, recording.id);
    await expect.poll(() => allowed.getByTestId("recording-download").count()).toBe(1);
    const download = page.waitForEvent("download", { timeout: 15_000 });
    await allowed.getByTestId("recording-download").click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`call-${recording.callId}-recording-${recording.id}.wav`);
    expect(await coreDownload(page, recording.id)).toEqual({ ok: true, fileName: `call-${recording.callId}-recording-${recording.id}.wav` });
  }, 150_000);
});
