import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BareSipPage } from "./support/bare-sipjs";
import { sharedBrowser } from "./support/browser";
import { sipConfigOf, startCompanySide, type CompanySide } from "./support/company-side";
import { FarEnd } from "./support/far-end";

// The far end itself, checked against a bare SIP.js caller (the demo sales user, whose
// verified number the server presents) through the real PBX(s), so the app's e2e tests
// can trust what it reports.
const callerId = "+819012345678";
let side: CompanySide;
let farEnd: FarEnd;
let caller: BareSipPage;

beforeAll(async () => {
  side = await startCompanySide("far-end");
  const browser = await sharedBrowser();
  farEnd = await FarEnd.start(browser, side.farEnd);
  caller = await BareSipPage.start(browser, await sipConfigOf(side, "sales@demo.example", "demo-sales"));
});

afterAll(async () => {
  try {
    await caller?.stop();
    await farEnd?.stop();
  } finally {
    await side?.stop();
  }
});

describe("the far end behind the PBX trunk", () => {
  it("answers, shows the authorized caller ID, exchanges audio and receives DTMF", async () => {
    await farEnd.setAction({ kind: "answer", afterMs: 200 });
    const timing = await caller.call("+12015550123");
    expect(timing).toMatchObject({ failedStatus: null });
    const call = await farEnd.lastCall();
    expect(call).toMatchObject({ toUser: "+12015550123", fromUser: callerId, status: "answered" });
    await expect.poll(async () => (await farEnd.media()).packetsReceived, { timeout: 10_000 }).toBeGreaterThan(20);
    await expect.poll(async () => (await farEnd.media()).inboundAudioLevel, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await caller.sendDtmf("159#")).toBe(true);
    await expect.poll(async () => (await farEnd.lastCall())?.receivedDtmf, { timeout: 10_000 }).toBe("159#");
    await caller.hangUp();
    await expect.poll(async () => (await farEnd.lastCall())?.status).toBe("ended");
  });

  it.each([
    [486, 486, "Q.850;cause=17"],
    // Asterisk turns the far end's decline into cause 21 (403); the PBX's own "destination
    // blocked" refusal has cause 53, so the app tells them apart by the final response alone.
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
