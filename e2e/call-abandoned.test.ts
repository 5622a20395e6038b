import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAuthorizeStub, type AuthorizeStub } from "../src-server/pbx/testing/authorize-stub";
import { BareSipPage } from "./support/bare-sipjs";
import { sharedBrowser } from "./support/browser";
import { startChromium, type RunningChromium } from "./support/chromium";
import { FarEnd } from "./support/far-end";
import { sharedPbx } from "./support/shared-pbx";
import { asteriskBillsec } from "./support/sqlite-read";

// A softphone that disappears mid-call (its computer crashes, its network goes):
// no BYE ever comes, and no more RTP. The PBX must end the call by itself within a
// minute (pjsip.conf's webrtc-user: rtp_timeout), so the call stops being billed.
// The caller runs in a Chromium of its own, killed with SIGKILL mid-call.
let authorize: AuthorizeStub;
let farEnd: FarEnd;
let callerBrowser: RunningChromium;
let caller: BareSipPage;

beforeAll(async () => {
  const pbx = await sharedPbx();
  authorize = await startAuthorizeStub((request) => (request.to === null ? "" : "result=allow&callerid=%2B81312345678&maxSeconds=600&record=0"), pbx.serverPort);
  farEnd = await FarEnd.start(await sharedBrowser(), { wsUrl: pbx.facts.wsUrl, uri: "sip:far-end@127.0.0.1", password: pbx.farEnd.password });
  callerBrowser = await startChromium();
  const browser = await chromium.connectOverCDP(callerBrowser.wsEndpoint);
  caller = await BareSipPage.start(browser, { wsUrl: pbx.facts.wsUrl, aor: "sip:bare-caller@127.0.0.1", username: "bare-caller", password: pbx.devUsers["bare-caller"]! });
});

afterAll(async () => {
  try {
    await callerBrowser?.stop();
    await farEnd?.stop();
  } finally {
    await authorize?.close();
  }
});

describe("a caller that vanishes mid-call", () => {
  it("is hung up by the PBX within 60 s of its last packet, and the CDR bills only until then", async () => {
    const pbx = await sharedPbx();
    await farEnd.setAction({ kind: "answer", afterMs: 0 });
    expect(await caller.call("+12015550123")).toMatchObject({ failedStatus: null });
    await expect.poll(async () => (await farEnd.media()).packetsReceived, { timeout: 10_000 }).toBeGreaterThan(50);
    const answeredAt = (await farEnd.lastCall())?.answeredAt ?? Date.now();

    const vanishedAt = Date.now();
    await callerBrowser.crash();
    await expect.poll(async () => (await farEnd.lastCall())?.status, { timeout: 60_000, interval: 500 }).toBe("ended");
    const endedAt = (await farEnd.lastCall())?.endedAt ?? Date.now();
    console.info(`caller killed → PBX hung up: ${endedAt - vanishedAt} ms`);
    expect(endedAt - vanishedAt).toBeLessThan(60_000);
    // Not at once: the PBX waited for the media to stop, it did not see a BYE.
    expect(endedAt - vanishedAt).toBeGreaterThan(20_000);
    expect((await farEnd.lastCall())?.endedBy).toBe("remote");

    const uniqueid = authorize.requests.at(-1)?.uniqueid ?? "";
    await expect.poll(() => asteriskBillsec(pbx.facts.cdrDb, uniqueid), { timeout: 10_000 }).not.toBeNull();
    const billsec = asteriskBillsec(pbx.facts.cdrDb, uniqueid)!;
    const talked = (endedAt - answeredAt) / 1000;
    expect(billsec).toBeGreaterThanOrEqual(Math.floor(talked) - 2);
    expect(billsec).toBeLessThanOrEqual(Math.ceil(talked) + 2);
    expect(billsec).toBeLessThan((vanishedAt - answeredAt) / 1000 + 60);
  }, 90_000);
});
