import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { coachingPaths, CoachingLogReply, CoachingStartReply, LiveCallsReply, type CoachingMode } from "../src-shared/server-api/coaching";
import { BareSipPage } from "./support/bare-sipjs";
import { sharedBrowser } from "./support/browser";
import { startCallRig, type CallRig } from "./support/call-app";
import { FarEnd } from "./support/far-end";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startHostProcess, type RunningHost } from "./support/app";
import { openScreens, photographSettled, showScreen, type ScreenLanguage, type ScreenSize } from "./support/screens";

// Coaching through the real Asterisk: the sales user's app calls the JsSIP far end, which answers. The
// demo admin's softphone (SIP.js registered as the admin's own endpoint, with the credentials the server
// hands the admin's app) dials the coaching target with a token from the server, its "microphone" a
// steady DTMF "5" (770 + 1336 Hz). A whisper is heard on the user's page and not at the far end; in
// listen mode neither hears the admin. Tones are found by Goertzel, as the far end's DTMF detector does.
let rig: CallRig;
let farEnd: FarEnd;
let coach: BareSipPage;
// The admin's own app: a second desktop host (one signed-in user each), on its own data directory.
let adminHost: RunningHost;
let adminDataDir: string;
const sizes: readonly ScreenSize[] = [
  { width: 1100, height: 720 },
  { width: 1920, height: 1080 },
];
const contexts: BrowserContext[] = [];
const sales = { email: "sales@demo.example", password: "demo-sales" };
const admin = { email: "admin@demo.example", password: "demo-admin" };
const toneKey = "5";
let adminToken: string;

async function signIn(who: { email: string; password: string }): Promise<string> {
  const reply = await fetch(`${rig.server.url}/api/auth/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(who) });
  if (!reply.ok) throw new Error(`sign-in as ${who.email}: ${reply.status}`);
  return ((await reply.json()) as { token: string }).token;
}

async function api(token: string, method: "GET" | "POST" | "PUT", path: string, body?: object): Promise<{ status: number; json: unknown }> {
  const reply = await fetch(`${rig.server.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: reply.status, json: await reply.json().catch(() => null) };
}

beforeAll(async () => {
  rig = await startCallRig("coaching");
  farEnd = await FarEnd.start(await sharedBrowser(), { wsUrl: rig.pbx.facts.wsUrl, uri: "sip:far-end@127.0.0.1", password: rig.farEndPassword });
  adminToken = await signIn(admin);
  const sip = await api(adminToken, "GET", "/api/sip/config");
  expect(sip.status).toBe(200);
  const config = sip.json as { wsUrl: string; aor: string; username: string; password: string };
  coach = await BareSipPage.start(await sharedBrowser(), { ...config, wsUrl: rig.pbx.facts.wsUrl, toneHz: [770, 1336] });
  adminDataDir = mkdtempSync(join(tmpdir(), "caller-coaching-admin-"));
  adminHost = await startHostProcess(rig.server.url, adminDataDir);
}, 120_000);

afterAll(async () => {
  try {
    await coach?.stop();
    await adminHost?.stop();
    if (adminDataDir !== undefined) rmSync(adminDataDir, { recursive: true, force: true });
    for (const context of contexts) await context.close().catch(() => undefined);
    await farEnd?.stop();
  } finally {
    await rig?.stop();
  }
});

const screenStatus = (page: Page) => page.getByTestId("call-screen").getAttribute("data-status");

/**
 * Counts the 1024-sample blocks of the call's received audio where the key's two tones dominate: the
 * app plays the remote stream through an Audio element, whose srcObject this watches from before the call.
 */
async function listenForTone(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { toneBlocks: number };
    w.toneBlocks = 0;
    const level = (x: Float32Array, rate: number, f: number) => {
      const c = 2 * Math.cos((2 * Math.PI * f) / rate);
      let s1 = 0;
      let s2 = 0;
      for (const v of x) {
        const s0 = v + c * s1 - s2;
        s2 = s1;
        s1 = s0;
      }
      return (2 * Math.sqrt(Math.max(0, s1 * s1 + s2 * s2 - c * s1 * s2))) / x.length;
    };
    const descriptor = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, "srcObject")!;
    Object.defineProperty(HTMLMediaElement.prototype, "srcObject", {
      configurable: true,
      get(this: HTMLMediaElement) {
        return descriptor.get!.call(this) as MediaProvider | null;
      },
      set(this: HTMLMediaElement, stream: MediaProvider | null) {
        descriptor.set!.call(this, stream);
        if (stream instanceof MediaStream) watch(stream);
      },
    });
    const watched = new WeakSet<MediaStream>();
    // The app may set the stream before adding its track (addTrack fires no event): look again shortly.
    const watch = (stream: MediaStream): void => {
      if (watched.has(stream)) return;
      if (stream.getAudioTracks().length === 0) {
        setTimeout(() => watch(stream), 100);
        return;
      }
      watched.add(stream);
      {
        const context = new AudioContext();
        const processor = context.createScriptProcessor(1024, 1, 1);
        processor.onaudioprocess = (event) => {
          const x = event.inputBuffer.getChannelData(0);
          const rate = context.sampleRate;
          const [r, c] = [level(x, rate, 770), level(x, rate, 1336)];
          const others = Math.max(...[697, 852, 941, 1209, 1477, 1633].map((f) => level(x, rate, f)));
          if (r > 0.005 && c > 0.005 && r > 3 * others && c > 3 * others) w.toneBlocks += 1;
        };
        context.createMediaStreamSource(stream).connect(processor);
        processor.connect(context.destination);
        void context.resume();
      }
    };
  });
}

const toneBlocks = (page: Page) => page.evaluate(() => (window as unknown as { toneBlocks: number }).toneBlocks);

async function shoot(page: Page, name: string, language: ScreenLanguage): Promise<void> {
  for (const size of sizes) {
    await page.setViewportSize(size);
    expect(await photographSettled(page, name, { language, theme: "light", size }), `${name} ${language} ${size.width}×${size.height}`).toEqual([]);
  }
  await page.setViewportSize(sizes[0]!);
}

async function userCall(language: ScreenLanguage = "en"): Promise<{ page: Page; callId: string }> {
  const { context, page } = await openScreens(await sharedBrowser(), rig.host, { language, theme: "light", size: sizes[0]!, user: sales });
  contexts.push(context);
  await expect.poll(() => page.getByTestId("registration").getAttribute("data-state"), { timeout: 15_000 }).toBe("ready");
  await listenForTone(page);
  await farEnd.setAction({ kind: "answer", afterMs: 300 });
  await page.getByTestId("dial-number").fill("+12015550123");
  await page.locator(".dial-actions button.call").click();
  await expect.poll(() => screenStatus(page), { timeout: 10_000 }).toBe("connected");
  let callId = "";
  await expect
    .poll(async () => {
      const live = LiveCallsReply.parse((await api(adminToken, "GET", coachingPaths.liveCalls)).json);
      callId = live.calls.find((c) => c.joinable && c.number === "+12015550123")?.callId ?? "";
      return callId;
    }, { timeout: 10_000 })
    .not.toBe("");
  return { page, callId };
}

async function joinAs(callId: string, mode: CoachingMode): Promise<void> {
  const started = await api(adminToken, "POST", coachingPaths.sessions, { callId, mode });
  expect(started.status, JSON.stringify(started.json)).toBe(200);
  const { token, target, header } = CoachingStartReply.parse(started.json);
  const timing = await coach.call(target, [`${header}: ${token}`]);
  expect(timing.establishedMs, `the coaching call failed: ${timing.failedStatus} ${timing.failedReason}`).not.toBeNull();
}


describe("coaching a live call through Asterisk's ChanSpy", () => {
  it("a whisper is heard by the user and not by the far end; in listen mode neither hears the admin; a forged or used token joins nothing", async () => {
    expect((await api(adminToken, "PUT", coachingPaths.policy, { notifyUser: true })).status).toBe(200);
    const { page, callId } = await userCall();

    // Listen first: the admin's tone reaches nobody.
    await joinAs(callId, "listen");
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await coach.established()).toBe(true);
    expect(await toneBlocks(page)).toBeLessThan(3);
    expect((await farEnd.lastCall())!.receivedDtmf).not.toContain(toneKey);
    await coach.hangUp();

    // Whisper: the user hears it, the far end does not.
    await joinAs(callId, "whisper");
    await expect.poll(() => toneBlocks(page), { timeout: 8_000 }).toBeGreaterThan(20);
    expect((await farEnd.lastCall())!.receivedDtmf).not.toContain(toneKey);
    expect((await farEnd.lastCall())!.status).toBe("answered");
    await coach.hangUp();

    // A forged token, and a token used once already, are refused: the call goes on untouched.
    const before = await toneBlocks(page);
    const forged = await coach.call("coach", [`X-Caller-Coach-Token: ${"ab".repeat(32)}`]);
    expect(forged.establishedMs).toBeNull();
    expect(forged.failedStatus).not.toBeNull();
    const used = CoachingStartReply.parse((await api(adminToken, "POST", coachingPaths.sessions, { callId, mode: "barge" })).json);
    expect((await coach.call(used.target, [`${used.header}: ${used.token}`])).establishedMs).not.toBeNull();
    await coach.hangUp();
    const again = await coach.call(used.target, [`${used.header}: ${used.token}`]);
    expect(again.establishedMs).toBeNull();
    expect(await screenStatus(page)).toBe("connected");

    // Barge: the far end hears the admin too (so its detector would have caught a leaking whisper).
    await joinAs(callId, "barge");
    await expect.poll(async () => (await farEnd.lastCall())!.receivedDtmf, { timeout: 8_000 }).toContain(toneKey);
    expect(await toneBlocks(page)).toBeGreaterThan(before);
    await coach.hangUp();

    const log = CoachingLogReply.parse((await api(adminToken, "GET", coachingPaths.log)).json);
    expect(log.entries.filter((e) => e.callId === callId).map((e) => [e.mode, e.joinedAt !== null])).toEqual([
      ["barge", true],
      ["barge", true],
      ["whisper", true],
      ["listen", true],
    ]);
    await page.locator("button.hang-up").click();
    await expect.poll(() => screenStatus(page), { timeout: 10_000 }).toBe("ended");
  }, 120_000);

  it("the admin joins from the Company screen's live calls in their own app; the user's call screen says who is whispering (en and ja)", async () => {
    for (const language of ["en", "ja"] as const) {
      // One sales page at a time: the earlier one's registration would take the call's media elsewhere.
      for (const open of contexts.splice(0)) await open.close().catch(() => undefined);
      const { page, callId } = await userCall(language);
      const { context, page: adminPage } = await openScreens(await sharedBrowser(), adminHost, { language, theme: "light", size: sizes[0]!, user: admin });
      contexts.push(context);
      await expect.poll(() => adminPage.getByTestId("registration").getAttribute("data-state"), { timeout: 15_000 }).toBe("ready");
      await showScreen(adminPage, "company");
      await adminPage.getByTestId("admin-tab-coaching").click();
      const row = adminPage.locator(`[data-testid=live-call][data-call-id="${callId}"]`);
      await row.waitFor({ timeout: 10_000 });
      await expect.poll(() => row.getByTestId("coach-whisper").isEnabled(), { timeout: 5_000 }).toBe(true);
      await shoot(adminPage, "coaching-live-calls", language);
      await row.getByTestId("coach-whisper").click();
      await expect.poll(() => adminPage.getByTestId("coaching-session").getAttribute("data-state"), { timeout: 10_000 }).toBe("joined");
      await shoot(adminPage, "coaching-controls", language);
      // The policy is on (the first test): the user's call screen names the admin.
      await expect.poll(() => page.getByTestId("coaching-notice").getAttribute("data-mode"), { timeout: 8_000 }).toBe("whisper");
      expect(await page.getByTestId("coaching-notice").textContent()).toContain("Aiko Admin");
      await shoot(page, "coaching-user-notice", language);
      await adminPage.getByTestId("coaching-leave").click();
      await expect.poll(() => page.getByTestId("coaching-notice").count(), { timeout: 8_000 }).toBe(0);
      expect(await screenStatus(page)).toBe("connected");
      await page.locator("button.hang-up").click();
      await expect.poll(() => screenStatus(page), { timeout: 10_000 }).toBe("ended");
      await context.close();
    }
  }, 180_000);
});
