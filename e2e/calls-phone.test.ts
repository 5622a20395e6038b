import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startAuthorizeStub, type AuthorizeStub } from "../src-server/pbx/testing/authorize-stub";
import { startTcpProxy, type TcpProxy } from "../src-server/pbx/testing/tcp-proxy";
import type { SipConfig } from "../src-shared/server-api/sip";
import { sharedPbx } from "./support/shared-pbx";
import { sharedBrowser } from "./support/browser";
import { FarEnd } from "./support/far-end";
import { phoneApi, startPhoneHarness } from "./support/phone-harness";
import { waitFor } from "./support/wait";

// The renderer's softphone module (below the UI) against the real PBX and the JsSIP far end:
// registration, call states, DTMF, media both ways, failures in words, reconnect.
const number = "+12015550123";
let authorize: AuthorizeStub;
let proxy: TcpProxy;
let farEnd: FarEnd;
let harness: Awaited<ReturnType<typeof startPhoneHarness>>;
let page: Page;
let authorizeAnswer = "result=allow&callerid=%2B81312345678&maxSeconds=600&record=0";

const snapshot = () => phoneApi(page, (api) => api.snapshot());
const status = async () => (await snapshot()).call.status;
const registered = () => waitFor(async () => (await snapshot()).registration.status, (s) => s === "registered", 15_000, "registration");

beforeAll(async () => {
  // The PBX also asks for realtime endpoints beside the authorize URL: none here (dev users are static).
  const pbx = await sharedPbx();
  authorize = await startAuthorizeStub((request) => (request.to === null ? "" : authorizeAnswer), pbx.serverPort);
  const farEndPassword = pbx.farEnd.password;
  const userPassword = pbx.devUsers["phone-user"]!;
  const browser = await sharedBrowser();
  farEnd = await FarEnd.start(browser, { wsUrl: pbx.facts.wsUrl, uri: "sip:far-end@127.0.0.1", password: farEndPassword });
  // The phone reaches the PBX through a relay the test can cut, as a network drop would.
  proxy = await startTcpProxy(Number(new URL(pbx.facts.wsUrl).port));
  harness = await startPhoneHarness(browser);
  page = harness.page;
  page.on("pageerror", (e) => console.log(`[phone page error] ${e.message}`));
  const config: SipConfig = {
    wsUrl: pbx.facts.wsUrl.replace(/:\d+\//, `:${proxy.port}/`),
    aor: "sip:phone-user@127.0.0.1",
    username: "phone-user",
    password: userPassword,
    displayName: "Phone User",
    iceServers: [],
  };
  await phoneApi(page, (api, c) => api.start(c as SipConfig), config);
  await registered();
});

afterAll(async () => {
  try {
    await harness?.stop();
    await farEnd?.stop();
    await proxy?.close();
  } finally {
    await authorize?.close();
  }
});

beforeEach(async () => {
  authorizeAnswer = "result=allow&callerid=%2B81312345678&maxSeconds=600&record=0";
  if (page) await phoneApi(page, (api) => api.dismiss());
});

async function dialAndWaitEnd(): Promise<{ by: string; reason?: string }> {
  expect(await phoneApi(page, (api, n) => api.dial(n as string, "US"), number)).toBeNull();
  await expect.poll(status, { timeout: 20_000 }).toBe("ended");
  const call = (await snapshot()).call;
  if (call.status !== "ended") throw new Error("not ended");
  return call.end;
}

describe("the softphone against the real PBX", () => {
  it("calls, talks both ways, sends keypad digits, holds, and hangs up", async () => {
    await farEnd.setAction({ kind: "answer", afterMs: 300 });
    expect(await phoneApi(page, (api, n) => api.dial(n as string, "US"), number)).toBeNull();
    await expect.poll(status, { timeout: 10_000 }).toBe("connected");
    const far = await farEnd.lastCall();
    expect(far).toMatchObject({ toUser: number, fromUser: "+81312345678" });

    await expect.poll(async () => (await snapshot()).quality?.stats.sample.packetsReceived ?? 0, { timeout: 10_000 }).toBeGreaterThan(20);
    await expect.poll(async () => (await snapshot()).quality?.stats.inboundAudioLevel ?? 0, { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await farEnd.media()).packetsReceived, { timeout: 10_000 }).toBeGreaterThan(20);
    await expect.poll(async () => (await farEnd.media()).inboundAudioLevel, { timeout: 10_000 }).toBeGreaterThan(0);
    expect((await snapshot()).quality?.level).toBe("good");

    await phoneApi(page, (api) => api.dtmf("42#"));
    await expect.poll(async () => (await farEnd.lastCall())?.receivedDtmf, { timeout: 10_000 }).toBe("42#");

    await phoneApi(page, (api) => api.hold(true));
    expect(await status()).toBe("on-hold");
    await phoneApi(page, (api) => api.hold(false));
    expect(await status()).toBe("connected");

    await phoneApi(page, (api) => api.hangUp());
    await expect.poll(status).toBe("ended");
    expect((await snapshot()).call).toMatchObject({ end: { by: "local" } });
    await expect.poll(async () => (await farEnd.lastCall())?.endedBy).toBe("remote");
    const finished = await phoneApi(page, (api) => api.finished());
    expect(finished.at(-1)?.summary?.samples).toBeGreaterThan(0);
  });

  it("shows the far end hanging up", async () => {
    await farEnd.setAction({ kind: "answer", afterMs: 0 });
    expect(await phoneApi(page, (api, n) => api.dial(n as string, "US"), number)).toBeNull();
    await expect.poll(status, { timeout: 10_000 }).toBe("connected");
    await farEnd.hangUp();
    await expect.poll(status).toBe("ended");
    expect((await snapshot()).call).toMatchObject({ end: { by: "remote" } });
  });

  it.each([
    [486, "busy"],
    [603, "declined"],
    [480, "no_answer"],
  ])("ends a call the far end answers with %i as %s", async (code, reason) => {
    await farEnd.setAction({ kind: "reject", status: code, afterMs: 100 });
    expect(await dialAndWaitEnd()).toEqual({ by: "failure", reason });
  });

  it.each([
    ["destination_blocked", "destination_blocked"],
    ["no_credit", "no_credit"],
    ["caller_not_enabled", "caller_not_enabled"],
    ["number_not_verified", "number_not_verified"],
  ])("ends a call the server refuses (%s) with its own reason", async (refusal, reason) => {
    authorizeAnswer = `result=deny&reason=${refusal}`;
    expect(await dialAndWaitEnd()).toEqual({ by: "failure", reason });
  });

  it("refuses emergency numbers and malformed numbers before anything is sent", async () => {
    const before = authorize.requests.filter((r) => r.to !== null).length;
    for (const input of ["110", "911", "+1201555&0123", "+1201555,0123", "+1201555;0123", "+1201555\n0123", "+1201555O123"]) {
      expect(await phoneApi(page, (api, n) => api.dial(n as string, "JP"), input)).not.toBeNull();
    }
    expect(await status()).toBe("idle");
    expect(authorize.requests.filter((r) => r.to !== null).length).toBe(before);
  });

  it("shows reconnecting when the WebSocket drops while idle, registers again, and the next call works", async () => {
    proxy.cutAll();
    await expect.poll(async () => (await snapshot()).registration.status, { timeout: 5000 }).toBe("reconnecting");
    await registered();
    await farEnd.setAction({ kind: "answer", afterMs: 0 });
    expect(await phoneApi(page, (api, n) => api.dial(n as string, "US"), number)).toBeNull();
    await expect.poll(status, { timeout: 10_000 }).toBe("connected");
    await phoneApi(page, (api) => api.hangUp());
    await expect.poll(status).toBe("ended");
  });
});
