import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startAuthorizeStub, type AuthorizeStub } from "../src-server/pbx/testing/authorize-stub";
import type { SipConfig } from "../src-shared/server-api/sip";
import { freeTcpPort, startAsterisk, type PbxInstance } from "./support/asterisk";
import { sharedBrowser } from "./support/browser";
import { FarEnd } from "./support/far-end";
import { createAppNetwork, type AppNetwork } from "./support/netns";
import { startTcpProxy, type TcpProxy } from "../src-server/pbx/testing/tcp-proxy";
import { callPath, startPhoneInNetns } from "./support/netns-phone";
import { phoneApi } from "./support/phone-harness";
import { waitFor } from "./support/wait";

// The app's softphone runs in a Chromium inside a network namespace with two uplinks; mid-call the
// namespace moves from uplink A to uplink B (A's address goes away) and the call must carry audio again.
const number = "+12015550123";
const secret = () => randomBytes(12).toString("hex");
let pbx: PbxInstance;
let authorize: AuthorizeStub;
let network: AppNetwork;
let relay: TcpProxy;
let farEnd: FarEnd;
let phone: Awaited<ReturnType<typeof startPhoneInNetns>>;
let page: Page;

const snapshot = () => phoneApi(page, (api) => api.snapshot());

beforeAll(async () => {
  const serverPort = await freeTcpPort();
  const farEndUser = { name: "far-end", password: secret() };
  const userPassword = secret();
  authorize = await startAuthorizeStub((request) => (request.to === null ? "" : "result=allow&callerid=%2B81312345678&maxSeconds=600&record=0"), serverPort);
  pbx = await startAsterisk({
    instance: `netns-${process.pid}`,
    serverUrl: `http://127.0.0.1:${serverPort}`,
    farEnd: farEndUser,
    trunk: farEndUser.name,
    devUsers: { "moving-user": userPassword },
  });
  network = await createAppNetwork();
  // Asterisk's HTTP server is loopback-only: the app reaches its WebSocket through a relay on uplink A's host end.
  relay = await startTcpProxy(Number(new URL(pbx.facts.wsUrl).port), network.serverAddress);
  farEnd = await FarEnd.start(await sharedBrowser(), { wsUrl: pbx.facts.wsUrl, uri: "sip:far-end@127.0.0.1", password: farEndUser.password });
  phone = await startPhoneInNetns(network);
  page = phone.page;
  page.on("pageerror", (e) => console.log(`[netns phone page error] ${e.message}`));
  page.on("console", (m) => console.log(`[netns phone] ${m.text()}`));
  const config: SipConfig = {
    wsUrl: `ws://${network.serverAddress}:${relay.port}/ws`,
    aor: "sip:moving-user@127.0.0.1",
    username: "moving-user",
    password: userPassword,
    displayName: "Moving User",
    iceServers: [],
  };
  await phoneApi(page, (api, c) => api.start(c as SipConfig), config);
  await waitFor(async () => (await snapshot()).registration.status, (s) => s === "registered", 15_000, "registration");
}, 120_000);

afterAll(async () => {
  const steps = [() => phone?.stop(), () => farEnd?.stop(), () => relay?.close(), () => network?.stop(), () => pbx?.stop({ purge: true }), () => authorize?.close()];
  for (const step of steps) await Promise.resolve(step()).catch((e: unknown) => console.error(e));
});

describe("a network change during a call", () => {
  it("keeps the call up and audio flows both ways again after the ICE restart over the new address", async () => {
    await farEnd.setAction({ kind: "answer", afterMs: 0 });
    expect(await phoneApi(page, (api, n) => api.dial(n as string, "US"), number)).toBeNull();
    await expect.poll(async () => (await snapshot()).call.status, { timeout: 10_000 }).toBe("connected");
    await expect.poll(async () => (await callPath(page)).packetsReceived, { timeout: 10_000 }).toBeGreaterThan(20);
    await expect.poll(async () => (await farEnd.media()).packetsReceived, { timeout: 10_000 }).toBeGreaterThan(20);
    expect((await callPath(page)).localAddress).toBe(network.a.appAddress);

    const before = { app: (await callPath(page)).packetsReceived, far: (await farEnd.media()).packetsReceived };
    const movedAt = Date.now();
    await network.moveToB();

    // Polled every 100 ms: what got through in the first second (the move must really cut the call),
    // when ICE noticed (the softphone may recover before it does), and when audio came back on each side.
    const seen: { disconnected?: number; appAudio?: number; farAudio?: number; stalled?: { app: number; far: number } } = {};
    const deadline = movedAt + 40_000;
    while (Date.now() < deadline && (seen.appAudio === undefined || seen.farAudio === undefined)) {
      const path = await callPath(page);
      const far = (await farEnd.media()).packetsReceived;
      const at = Date.now() - movedAt;
      if (seen.stalled === undefined && at >= 1000) seen.stalled = { app: path.packetsReceived - before.app, far: far - before.far };
      if (seen.disconnected === undefined && (path.iceConnectionState === "disconnected" || path.iceConnectionState === "failed")) seen.disconnected = at;
      if (seen.stalled !== undefined && path.localAddress === network.b.appAddress && path.packetsReceived > before.app + seen.stalled.app) seen.appAudio ??= at;
      if (seen.stalled !== undefined && far > before.far + seen.stalled.far + 10) seen.farAudio ??= at;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    console.log(
      `[network-change] after the move: ICE disconnected at ${seen.disconnected ?? "never (recovered first)"} ms, audio in the app again at ${seen.appAudio} ms, at the far end at ${seen.farAudio} ms`,
    );
    // The move really cut the call: neither side got more than a few packets in the first second.
    expect(seen.stalled?.app).toBeLessThan(10);
    expect(seen.stalled?.far).toBeLessThan(10);
    expect(seen.appAudio, "audio reaches the app over uplink B").toBeDefined();
    expect(seen.farAudio, "audio from the app reaches the far end again").toBeDefined();

    const after = { app: (await callPath(page)).packetsReceived, far: (await farEnd.media()).packetsReceived };
    await expect.poll(async () => (await callPath(page)).packetsReceived, { timeout: 5000 }).toBeGreaterThan(after.app + 25);
    await expect.poll(async () => (await farEnd.media()).packetsReceived, { timeout: 5000 }).toBeGreaterThan(after.far + 25);
    await expect.poll(async () => (await snapshot()).quality?.stats.inboundAudioLevel ?? 0, { timeout: 5000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await farEnd.media()).inboundAudioLevel, { timeout: 5000 }).toBeGreaterThan(0);
    expect((await snapshot()).call.status).toBe("connected");
    expect((await snapshot()).notice).toBe("network_changed");
    expect((await farEnd.lastCall())?.status).toBe("answered");

    await phoneApi(page, (api) => api.hangUp());
    await expect.poll(async () => (await snapshot()).call.status).toBe("ended");
    await expect.poll(async () => (await farEnd.lastCall())?.endedBy).toBe("remote");
  }, 90_000);
});
