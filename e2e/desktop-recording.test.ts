import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decode } from "node-wav";
import type { BrowserContext, Page } from "playwright-core";
import { readRows } from "./support/sqlite-read";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordingSettings } from "../src-shared/server-api/recordings";
import { startHostProcess, type RunningHost } from "./support/app";
import { newPage, sharedBrowser, signIn, type LaunchesApp } from "./support/browser";
import { startCallRig, type CallRig } from "./support/call-app";
import { FarEnd } from "./support/far-end";
import { loopbackRelay, type LoopbackRelay } from "../src-main/core/testing/loopback-relay";

// Recording on the desktop: the renderer taps the call's audio, the core writes the WAV and uploads it after the call.
const number = "+12015550123";
let rig: CallRig;
let farEnd: FarEnd;
let context: BrowserContext | null = null;
let restartedHost: RunningHost | null = null;
const extraHosts: RunningHost[] = [];
const relays: LoopbackRelay[] = [];
const extraDirs: string[] = [];
const tokens = { admin: "", sales: "" };

beforeAll(async () => {
  rig = await startCallRig("desktop-recording");
  farEnd = await FarEnd.start(await sharedBrowser(), { wsUrl: rig.pbx.facts.wsUrl, uri: "sip:far-end@127.0.0.1", password: rig.farEndPassword });
  for (const [who, email, password] of [["admin", "admin@demo.example", "demo-admin"], ["sales", "sales@demo.example", "demo-sales"]] as const) {
    const reply = await fetch(`${rig.server.url}/api/auth/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) });
    tokens[who] = ((await reply.json()) as { token: string }).token;
  }
});

afterAll(async () => {
  try {
    await context?.close().catch(() => undefined);
    await farEnd?.stop();
    await restartedHost?.stop();
    for (const host of extraHosts) await host.stop();
    for (const relay of relays) await relay.close();
    for (const dir of extraDirs) rmSync(dir, { recursive: true, force: true });
  } finally {
    await rig?.stop();
  }
});

const server = (who: keyof typeof tokens, path: string, init: RequestInit = {}) =>
  fetch(`${rig.server.url}${path}`, { ...init, headers: { authorization: `Bearer ${tokens[who]}`, "content-type": "application/json", ...init.headers } });

interface ServerCall {
  id: number;
  client_call_id: string;
  answered_at: number | null;
  ended_at: number | null;
}

const query = <T>(sql: string, ...params: unknown[]): T[] => readRows<T>(join(rig.dataDir, "server.sqlite"), sql, ...params);

const serverCalls = () => query<ServerCall>("select id, client_call_id, answered_at, ended_at from calls order by id");
const recordingsOf = (callId: number) => query<{ id: number; sha256: string; channels: number; sample_rate: number; duration_ms: number }>("select id, sha256, channels, sample_rate, duration_ms from recordings where call_id = ?", callId);

/** What MixMonitor has written so far (the PBX must write nothing while the desktop records). */
function pbxFiles(): string[] {
  const dir = rig.pbx.facts.recordingsDir;
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).sort() : [];
}

/** Every WAV the desktop core keeps under its data directory. */
function desktopWavs(): string[] {
  const root = join(rig.dataDir, "desktop");
  return readdirSync(root, { recursive: true })
    .map(String)
    .filter((name) => name.endsWith(".wav"))
    .map((name) => join(root, name));
}

/** The sample bytes of a WAV, from its `data` chunk to the end of the file, whole frames only (a crashed file may say 0 in its header). */
function pcmOf(bytes: Buffer, frameBytes = 4): Buffer {
  const at = bytes.indexOf("data", 12, "latin1");
  if (at < 0) throw new Error("no data chunk");
  const data = bytes.subarray(at + 8);
  return data.subarray(0, data.length - (data.length % frameBytes));
}

/** The longest run of frames where both channels are exactly zero: what a pause writes. */
function longestSilence(left: Float32Array, right: Float32Array): number {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < left.length; i++) {
    run = left[i] === 0 && right[i] === 0 ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const rms = (samples: Float32Array) => Math.sqrt(samples.reduce((sum, s) => sum + s * s, 0) / Math.max(1, samples.length));

async function openSales(host: LaunchesApp): Promise<Page> {
  await context?.close();
  const opened = await newPage("en-US");
  context = opened.context;
  const { page } = opened;
  page.on("pageerror", (e) => console.log(`[app page error] ${e.message}`));
  page.on("console", (m) => m.text().includes("[recorder]") && console.log(`[app console] ${m.text()}`));
  await page.goto(await host.launchUrl());
  const signOut = page.getByTestId("user-menu");
  await expect.poll(async () => (await signOut.isVisible()) || (await page.getByLabel("Email").isVisible()), { timeout: 15_000 }).toBe(true);
  if (!(await signOut.isVisible())) await signIn(page, "sales@demo.example", "demo-sales");
  await expect.poll(() => page.getByTestId("registration").getAttribute("data-status"), { timeout: 15_000 }).toBe("registered");
  return page;
}

async function dial(page: Page): Promise<void> {
  await farEnd.setAction({ kind: "answer", afterMs: 300 });
  await page.getByTestId("dial-number").fill(number);
  await page.getByRole("button", { name: "Call", exact: true }).click();
  await expect.poll(() => page.getByTestId("call-screen").getAttribute("data-status"), { timeout: 10_000 }).toBe("connected");
}

/** Notes each upload row's state and progress as the page changes it, to see the progress a fast upload shows only briefly. */
function watchUploads(page: Page): Promise<void> {
  return page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { uploadStates: string[] }).uploadStates = seen;
    const note = () => {
      for (const row of document.querySelectorAll("[data-testid=recording-upload]")) {
        const bar = row.querySelector("progress");
        const entry = `${row.getAttribute("data-call-id")} ${row.getAttribute("data-state")} ${bar ? `${bar.value}/${bar.max}` : "-"}`;
        if (!seen.includes(entry)) seen.push(entry);
      }
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    note();
  });
}

const uploadStates = (page: Page) => page.evaluate(() => (window as unknown as { uploadStates: string[] }).uploadStates);

describe("recording on the desktop", () => {
  it("records both sides on this computer, uploads after the call with progress, and the PBX records nothing", async () => {
    const policy: Partial<RecordingSettings> = { enabled: true, enforced: true, consentAnnouncement: false, source: "desktop" };
    expect((await server("admin", "/api/admin/recording-settings", { method: "PATCH", body: JSON.stringify(policy) })).status).toBe(200);
    const page = await openSales(rig.host);
    const pbxBefore = pbxFiles();
    const callsBefore = serverCalls().length;
    await watchUploads(page);

    await dial(page);
    const indicator = page.getByTestId("desktop-recording-state");
    await expect.poll(() => indicator.textContent(), { timeout: 5000 }).toBe("Recording on this computer");
    // Talk, pause for a while (silence is written, the timeline keeps its length), talk again.
    const controls = page.getByTestId("recording-controls");
    await page.waitForTimeout(1500);
    await controls.getByRole("button", { name: "Pause recording" }).click();
    await expect.poll(() => controls.getAttribute("data-paused")).toBe("true");
    await page.waitForTimeout(1500);
    await controls.getByRole("button", { name: "Resume recording" }).click();
    await expect.poll(() => indicator.textContent()).toBe("Recording on this computer");
    await page.waitForTimeout(2000);
    await page.getByRole("button", { name: "Hang up" }).click();
    await expect.poll(() => page.getByTestId("call-status").textContent()).toBe("Call ended");
    await page.getByRole("button", { name: "Done" }).click();

    await expect.poll(() => serverCalls().slice(callsBefore).filter((c) => c.ended_at !== null).length, { timeout: 20_000 }).toBe(1);
    const call = serverCalls().slice(callsBefore)[0]!;
    const row = page.locator(`[data-testid=recording-upload][data-call-id="${call.client_call_id}"]`);
    await expect.poll(() => row.getAttribute("data-state"), { timeout: 30_000 }).toBe("done");
    const states = (await uploadStates(page)).filter((s) => s.startsWith(call.client_call_id)).map((s) => s.slice(call.client_call_id.length + 1));
    console.log(`upload states seen: ${states.join(" → ")}`);
    const last = states.at(-1)!;
    expect(last).toMatch(/^done (\d+)\/\1$/);
    expect(states.some((s) => /^(recording|waiting|uploading) /.test(s)), states.join(", ")).toBe(true);

    await expect.poll(() => recordingsOf(call.id).length, { timeout: 15_000 }).toBe(1);
    const [recording] = recordingsOf(call.id);
    expect(recording!.channels).toBe(2);
    const file = await server("admin", `/api/recordings/${recording!.id}/download`);
    expect(file.status).toBe(200);
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(sha256(bytes)).toBe(recording!.sha256);
    const wav = decode(bytes);
    expect(wav.channelData).toHaveLength(2);
    const callMs = call.ended_at! - call.answered_at!;
    const skip = Math.round(wav.sampleRate / 2);
    const [user, other] = [rms(wav.channelData[0]!.subarray(skip)), rms(wav.channelData[1]!.subarray(skip))];
    console.log(`desktop recording: ${recording!.duration_ms} ms at ${wav.sampleRate} Hz for a call answered ${callMs} ms; RMS user ${user.toFixed(4)}, other party ${other.toFixed(4)}; ${bytes.length} bytes`);
    const pausedMs = (longestSilence(wav.channelData[0]!, wav.channelData[1]!) * 1000) / wav.sampleRate;
    console.log(`longest stretch of silence on both channels: ${pausedMs.toFixed(0)} ms (paused ~1500 ms)`);
    expect(pausedMs).toBeGreaterThan(1000);
    expect(pausedMs).toBeLessThan(2500);
    expect(user, "the user's channel (Chromium's fake microphone)").toBeGreaterThan(0.005);
    expect(other, "the other party's channel (the far end's fake microphone)").toBeGreaterThan(0.005);
    expect(Math.abs(recording!.duration_ms - callMs), `recording ${recording!.duration_ms} ms, call ${callMs} ms`).toBeLessThanOrEqual(1500);
    expect(pbxFiles()).toEqual(pbxBefore);
  }, 120_000);

  it("after the app host is killed mid-call, the repaired WAV uploads once on the next start", async () => {
    const page = await openSales(rig.host);
    const callsBefore = serverCalls().length;
    const wavsBefore = new Set(desktopWavs());
    await dial(page);
    await expect.poll(() => page.getByTestId("desktop-recording-state").textContent(), { timeout: 5000 }).toBe("Recording on this computer");
    await page.waitForTimeout(3000);
    const [wavPath] = desktopWavs().filter((path) => !wavsBefore.has(path));
    expect(wavPath, "the call's WAV on disk").toBeDefined();
    await expect.poll(() => statSync(wavPath!).size, { timeout: 5000 }).toBeGreaterThan(64_000);

    process.kill(rig.host.child.pid!, "SIGKILL");
    await new Promise((resolve) => rig.host.child.once("exit", resolve));
    const crashed = pcmOf(readFileSync(wavPath!));
    await page.getByRole("button", { name: "Hang up" }).click();
    await expect.poll(() => page.getByTestId("call-status").textContent()).toBe("Call ended");
    await expect.poll(() => serverCalls().slice(callsBefore).filter((c) => c.ended_at !== null).length, { timeout: 20_000 }).toBe(1);
    const call = serverCalls().slice(callsBefore)[0]!;

    restartedHost = await startHostProcess(rig.server.url, rig.dataDir);
    const again = await openSales(restartedHost);
    await expect.poll(() => recordingsOf(call.id).length, { timeout: 30_000 }).toBe(1);
    await expect.poll(() => again.locator(`[data-testid=recording-upload][data-call-id="${call.client_call_id}"]`).getAttribute("data-state"), { timeout: 15_000 }).toBe("done");
    const [recording] = recordingsOf(call.id);
    const bytes = Buffer.from(await (await server("admin", `/api/recordings/${recording!.id}/download`)).arrayBuffer());
    expect(sha256(bytes)).toBe(recording!.sha256);
    const uploaded = pcmOf(bytes);
    console.log(`crash: ${crashed.length} sample bytes on disk at the kill, ${uploaded.length} uploaded after repair`);
    expect(sha256(uploaded)).toBe(sha256(crashed));
    // Nothing doubled: one recording, and the host's restarts do not upload it twice.
    await again.waitForTimeout(1500);
    expect(recordingsOf(call.id)).toHaveLength(1);
  }, 120_000);

  it("after the app host is killed mid-upload, the upload resumes from the server's offset and the recording arrives once", async () => {
    // This desktop reaches the server through a slow link (128 KiB/s), so a 10 s recording takes seconds to upload.
    const serverPort = Number(new URL(rig.server.url).port);
    const slow = await loopbackRelay(serverPort, { bytesPerSecond: 128 * 1024 });
    relays.push(slow);
    const dir = mkdtempSync(join(tmpdir(), "caller-e2e-upload-"));
    extraDirs.push(dir);
    const host = await startHostProcess(slow.url, dir);
    extraHosts.push(host);
    const page = await openSales(host);
    const callsBefore = serverCalls().length;
    await dial(page);
    await expect.poll(() => page.getByTestId("desktop-recording-state").textContent(), { timeout: 5000 }).toBe("Recording on this computer");
    await page.waitForTimeout(10_000);
    await page.getByRole("button", { name: "Hang up" }).click();
    await expect.poll(() => serverCalls().slice(callsBefore).filter((c) => c.ended_at !== null).length, { timeout: 20_000 }).toBe(1);
    const call = serverCalls().slice(callsBefore)[0]!;
    const [wavPath] = readdirSync(join(dir, "desktop"), { recursive: true }).map(String).filter((name) => name.includes(call.client_call_id) && name.endsWith(".wav"));
    expect(wavPath, "the call's WAV on disk").toBeDefined();

    // Killed once the server has taken at least one chunk (256 KiB) and before the last.
    const progress = page.locator(`[data-testid=recording-upload][data-call-id="${call.client_call_id}"] progress`);
    await expect.poll(async () => Number((await progress.getAttribute("value").catch(() => null)) ?? 0), { timeout: 30_000, interval: 50 }).toBeGreaterThanOrEqual(256 * 1024);
    const sentBeforeKill = Number(await progress.getAttribute("value"));
    // Closed and hashed before its upload began: these are the bytes the server must end with.
    const local = readFileSync(join(dir, "desktop", wavPath!));
    expect(local.length).toBeGreaterThan(3 * 128 * 1024);
    expect(sentBeforeKill).toBeLessThan(local.length);
    process.kill(host.child.pid!, "SIGKILL");
    await new Promise((resolve) => host.child.once("exit", resolve));
    // Whatever the dead app had left in flight dies with it (as on a real network), then the link comes back.
    slow.cut();
    slow.restore();
    expect(recordingsOf(call.id)).toHaveLength(0);
    const bytesAtKill = slow.bytesUp;

    // The next start (the session keeps its server address): it sends what was left, not the whole file again.
    const again = await startHostProcess(slow.url, dir);
    extraHosts.push(again);
    await expect.poll(() => recordingsOf(call.id).length, { timeout: 30_000 }).toBe(1);
    const [recording] = recordingsOf(call.id);
    expect(recording!.sha256).toBe(sha256(local));
    const sentAfter = slow.bytesUp - bytesAtKill;
    console.log(`mid-upload kill: ${sentBeforeKill} of ${local.length} bytes acknowledged before the kill; ${sentAfter} bytes sent after the restart`);
    expect(sentAfter).toBeGreaterThan(0);
    expect(sentAfter).toBeLessThan(local.length - sentBeforeKill + 64 * 1024);
    // Deleted locally only after the server confirmed the checksum; and never uploaded twice.
    await expect.poll(() => existsSync(join(dir, "desktop", wavPath!)), { timeout: 10_000 }).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(recordingsOf(call.id)).toHaveLength(1);
  }, 120_000);
});
