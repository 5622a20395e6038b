import { decode } from "node-wav";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordingSettings } from "../src-shared/server-api/recordings";
import { newPage, sharedBrowser, signIn } from "./support/browser";
import { startCompanySide, type CompanySide } from "./support/company-side";
import { FarEnd } from "./support/far-end";

// Recording through the real PBX: MixMonitor's files, the server's ingest, the app's player.
const number = "+12015550123";
let side: CompanySide;
let farEnd: FarEnd;
let context: BrowserContext | null = null;
const tokens = { admin: "", sales: "" };

beforeAll(async () => {
  side = await startCompanySide("recording");
  farEnd = await FarEnd.start(await sharedBrowser(), side.farEnd);
  for (const [who, email, password] of [["admin", "admin@demo.example", "demo-admin"], ["sales", "sales@demo.example", "demo-sales"]] as const) {
    const reply = await fetch(`${side.serverUrl}/api/auth/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) });
    tokens[who] = ((await reply.json()) as { token: string }).token;
  }
});

afterAll(async () => {
  try {
    await context?.close().catch(() => undefined);
    await farEnd?.stop();
  } finally {
    await side?.stop();
  }
});

const server = (who: keyof typeof tokens, path: string, init: RequestInit = {}) =>
  fetch(`${side.serverUrl}${path}`, { ...init, headers: { authorization: `Bearer ${tokens[who]}`, "content-type": "application/json", ...init.headers } });

async function setPolicy(policy: Partial<RecordingSettings>): Promise<void> {
  const reply = await server("admin", "/api/admin/recording-settings", { method: "PATCH", body: JSON.stringify(policy) });
  expect(reply.status).toBe(200);
}

interface ServerCall {
  id: number;
  answered_at: number | null;
  ended_at: number | null;
  client_call_id: string;
  recording_id: number | null;
  duration_ms: number | null;
}

function serverCalls(): Promise<ServerCall[]> {
  return side.rows<ServerCall>(
    "select c.id, c.answered_at, c.ended_at, c.client_call_id, r.id as recording_id, r.duration_ms from calls c left join recordings r on r.call_id = c.id order by c.id",
  );
}

async function pausesOf(callId: number): Promise<string[]> {
  return (await side.rows<{ action: string }>("select action from recording_pauses where call_id = ? order by id", callId)).map((r) => r.action);
}

/** A fresh page as the sales user (the host's core keeps one session for every page: signed in already after the first). */
async function openSales(): Promise<Page> {
  await context?.close();
  const opened = await newPage("en-US");
  context = opened.context;
  const { page } = opened;
  page.on("pageerror", (e) => console.log(`[app page error] ${e.message}`));
  await page.goto(await side.host.launchUrl());
  const signOut = page.getByTestId("user-menu");
  await expect.poll(async () => (await signOut.isVisible()) || (await page.getByLabel("Email").isVisible())).toBe(true);
  if (!(await signOut.isVisible())) await signIn(page, "sales@demo.example", "demo-sales");
  await expect.poll(() => page.getByTestId("registration").getAttribute("data-status"), { timeout: 15_000 }).toBe("registered");
  return page;
}

/** When the last call's Hang up was clicked (Date.now()): where its recording ends. */
let hungUpAt = 0;

/** One answered call of about `talkMs`, ended by the app; returns the server's record of it once the CDR has ended it. */
async function talk(page: Page, talkMs: number, during: (page: Page) => Promise<void> = async () => {}): Promise<ServerCall> {
  const before = (await serverCalls()).length;
  await farEnd.setAction({ kind: "answer", afterMs: 300 });
  await page.getByTestId("dial-number").fill(number);
  await page.getByRole("button", { name: "Call", exact: true }).click();
  await expect.poll(() => page.getByTestId("call-screen").getAttribute("data-status"), { timeout: 10_000 }).toBe("connected");
  const started = Date.now();
  await during(page);
  await page.waitForTimeout(Math.max(0, talkMs - (Date.now() - started)));
  await page.getByRole("button", { name: "Hang up" }).click();
  hungUpAt = Date.now();
  await expect.poll(() => page.getByTestId("call-status").textContent()).toBe("Call ended");
  await page.getByRole("button", { name: "Done" }).click();
  await expect.poll(async () => (await serverCalls()).slice(before).filter((c) => c.ended_at !== null).length, { timeout: 20_000 }).toBe(1);
  return (await serverCalls()).slice(before)[0]!;
}

const rms = (samples: Float32Array) => Math.sqrt(samples.reduce((sum, s) => sum + s * s, 0) / Math.max(1, samples.length));

describe("call recording through the PBX", () => {
  it("with recording enforced, a call is recorded (paused and resumed once), plays in history, and downloads for the admin only", async () => {
    await setPolicy({ enabled: true, enforced: true, consentAnnouncement: false, ownerDownload: false, pauseAllowed: true });
    const page = await openSales();
    await expect(page.getByTestId("record-enforced").isVisible()).resolves.toBe(true);
    const call = await talk(page, 4000, async (p) => {
      const controls = p.getByTestId("recording-controls");
      await p.waitForTimeout(1000);
      await controls.getByRole("button", { name: "Pause recording" }).click();
      await expect.poll(() => controls.getAttribute("data-paused")).toBe("true");
      await controls.getByRole("button", { name: "Resume recording" }).click();
      await expect.poll(() => controls.getAttribute("data-paused")).toBe("false");
    });
    expect(await pausesOf(call.id)).toEqual(["pause", "resume"]);

    await expect.poll(async () => (await serverCalls()).find((c) => c.id === call.id)?.recording_id ?? null, { timeout: 15_000 }).not.toBeNull();
    const recorded = (await serverCalls()).find((c) => c.id === call.id)!;
    const callMs = recorded.ended_at! - recorded.answered_at!;
    console.log(`recording: ${recorded.duration_ms} ms for a call answered ${callMs} ms`);
    expect(Math.abs(recorded.duration_ms! - callMs), `recording ${recorded.duration_ms} ms, call ${callMs} ms`).toBeLessThanOrEqual(500);

    // The history's player: waveform from the peaks, and the audio plays.
    // The player is in the row's details, opened by the row's recording button.
    await page.locator(`[data-testid="history-details-toggle"][data-recording-id="${recorded.recording_id}"]`).click({ timeout: 15_000 });
    const item = page.getByTestId("history-list").getByTestId("history-item").filter({ has: page.getByTestId("recording-player") }).first();
    const player = item.getByTestId("recording-player");
    await expect.poll(() => player.getAttribute("data-recording-id"), { timeout: 15_000 }).toBe(String(recorded.recording_id));
    expect(Number(await player.getAttribute("data-duration-ms"))).toBe(recorded.duration_ms);
    expect(await player.getByTestId("recording-download").count()).toBe(0);
    await player.getByTestId("recording-play").click();
    await expect.poll(() => player.getByTestId("recording-waveform").count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(async () => Number(await player.getAttribute("data-position")), { timeout: 10_000 }).toBeGreaterThan(0.3);
    await player.getByTestId("recording-speed-2").click();
    await player.getByTestId("recording-seek").fill("0.5");
    expect(await player.getByTestId("recording-speed-2").getAttribute("aria-pressed")).toBe("true");

    const download = `/api/recordings/${recorded.recording_id}/download`;
    expect((await server("sales", download)).status).toBe(403);
    const file = await server("admin", download);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-disposition")).toMatch(/^attachment; filename="call-\d+-recording-\d+\.wav"$/);
    const wav = decode(Buffer.from(await file.arrayBuffer()));
    expect(wav.channelData).toHaveLength(2);
    expect(Math.abs((wav.channelData[0]!.length * 1000) / wav.sampleRate - recorded.duration_ms!)).toBeLessThanOrEqual(1);
  }, 90_000);

  it("when not enforced, the user's per-call choice decides: unticked is not recorded; ticked keeps the user and the other party apart", async () => {
    await setPolicy({ enabled: true, enforced: false, ownerDownload: true });
    const page = await openSales();
    await page.getByTestId("record-next-call").uncheck();
    const unrecorded = await talk(page, 2000);
    expect(await page.getByTestId("record-next-call").isChecked()).toBe(true);

    // Once muted, the user's channel is (nearly) silent while the other party's carries the far end's audio.
    let mutedAt = 0;
    const recorded = await talk(page, 4000, async (p) => {
      await p.getByRole("button", { name: "Mute" }).click();
      await expect.poll(() => p.getByRole("button", { name: "Unmute" }).count()).toBe(1);
      mutedAt = Date.now();
    });
    await expect.poll(async () => (await serverCalls()).find((c) => c.id === recorded.id)?.recording_id ?? null, { timeout: 15_000 }).not.toBeNull();
    expect((await serverCalls()).find((c) => c.id === unrecorded.id)?.recording_id).toBeNull();

    const id = (await serverCalls()).find((c) => c.id === recorded.id)!.recording_id!;
    const file = await server("sales", `/api/recordings/${id}/download`);
    expect(file.status).toBe(200);
    const wav = decode(Buffer.from(await file.arrayBuffer()));
    // The recording starts before the answer and the click on Mute lands after "connected" shows,
    // which on a loaded box takes seconds: skip to the mute (the file ends at the hang-up) and 0.3 s more.
    const startedAt = hungUpAt - (wav.channelData[0]!.length * 1000) / wav.sampleRate;
    const skip = Math.round((Math.max(500, mutedAt - startedAt + 300) / 1000) * wav.sampleRate);
    expect(wav.channelData[0]!.length - skip, "samples recorded after the mute").toBeGreaterThan(wav.sampleRate / 2);
    const [user, other] = [rms(wav.channelData[0]!.subarray(skip)), rms(wav.channelData[1]!.subarray(skip))];
    console.log(`recording while the user is muted: RMS user ${user.toFixed(4)}, other party ${other.toFixed(4)} (from ${(skip / wav.sampleRate).toFixed(2)} s in)`);
    expect(other, `user ${user.toFixed(4)}, other ${other.toFixed(4)}`).toBeGreaterThan(0.005);
    expect(user, `user ${user.toFixed(4)}, other ${other.toFixed(4)}`).toBeLessThan(other / 5);
  }, 90_000);
});
