import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAuthorizeStub, type AuthorizeStub } from "../src-server/pbx/testing/authorize-stub";
import { sharedPbx } from "./support/shared-pbx";
import { BareSipPage } from "./support/bare-sipjs";
import { sharedBrowser } from "./support/browser";
import { FarEnd } from "./support/far-end";

// The far end itself, checked against a bare SIP.js caller through the real PBX, so the
// app's e2e tests can trust what it reports.
let authorize: AuthorizeStub;
let farEnd: FarEnd;
let caller: BareSipPage;

beforeAll(async () => {
  // The PBX also asks for realtime endpoints beside the authorize URL: none here (dev users are static).
  const pbx = await sharedPbx();
  authorize = await startAuthorizeStub((request) => (request.to === null ? "" : "result=allow&callerid=%2B81312345678&maxSeconds=600&record=0"), pbx.serverPort);
  const farEndPassword = pbx.farEnd.password;
  const callerPassword = pbx.devUsers["bare-caller"]!;
  const wsUrl = pbx.facts.wsUrl;
  const browser = await sharedBrowser();
  farEnd = await FarEnd.start(browser, { wsUrl, uri: "sip:far-end@127.0.0.1", password: farEndPassword });
  caller = await BareSipPage.start(browser, { wsUrl, aor: "sip:bare-caller@127.0.0.1", username: "bare-caller", password: callerPassword });
});

afterAll(async () => {
  try {
    await caller?.stop();
    await farEnd?.stop();
  } finally {
    await authorize?.close();
  }
});

describe("the far end behind the PBX trunk", () => {
  it("answers, shows the authorized caller ID, exchanges audio and receives DTMF", async () => {
    await farEnd.setAction({ kind: "answer", afterMs: 200 });
    const timing = await caller.call("+12015550123");
    expect(timing).toMatchObject({ failedStatus: null });
    const call = await farEnd.lastCall();
    expect(call).toMatchObject({ toUser: "+12015550123", fromUser: "+81312345678", status: "answered" });
    await expect.poll(async () => (await farEnd.media()).packetsReceived, { timeout: 10_000 }).toBeGreaterThan(20);
    await expect.poll(async () => (await farEnd.media()).inboundAudioLevel, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await caller.sendDtmf("159#")).toBe(true);
    await expect.poll(async () => (await farEnd.lastCall())?.receivedDtmf, { timeout: 10_000 }).toBe("159#");
    await caller.hangUp();
    await expect.poll(async () => (await farEnd.lastCall())?.status).toBe("ended");
  });

  it.each([
    [486, 486, "Q.850;cause=17"],
    // Asterisk turns the far end's decline into cause 21, the same 403 as the PBX's own
    // "destination blocked" refusal; the app tells them apart by the refusal's announcement.
    [603, 403, "Q.850;cause=21"],
  ])("passes a %i from the far end back to the caller as %i", async (farStatus, status, reason) => {
    await farEnd.setAction({ kind: "reject", status: farStatus, afterMs: 100 });
    const timing = await caller.call("+12015550123");
    expect(timing.failedStatus).toBe(status);
    expect(timing.failedReason).toContain(reason);
    expect((await farEnd.lastCall())?.status).toBe("rejected");
  });

  it("hangs up on command, and the caller sees the call end", async () => {
    await farEnd.setAction({ kind: "answer", afterMs: 0 });
    await caller.call("+12015550123");
    await farEnd.hangUp();
    await expect.poll(async () => (await farEnd.lastCall())?.endedBy).toBe("local");
  });
});
