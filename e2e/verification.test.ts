import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { AmiClient } from "../src-server/pbx/ami-client";
import { header } from "../src-server/pbx/ami-message";
import { openAppAs, sharedBrowser } from "./support/browser";
import { startCompanySide, type CompanySide } from "./support/company-side";
import { FarEnd } from "./support/far-end";

// Connecting a number through the app: the real server places the verification
// call through an Asterisk (the shared one, or whichever the scale topology's server
// picks) to the JsSIP far end, which answers (or not) and presses the code it reads
// from the app page as RFC 4733 DTMF.
const seededNumber = "+819012345678";
const ringSeconds = 4;
let side: CompanySide;
let farEnd: FarEnd;
/** One AMI connection per Asterisk. */
const amis: AmiClient[] = [];
const contexts: BrowserContext[] = [];
/** When a verification call's prompt leg (Originate's Local;1) was answered: the prompt starts then. */
const promptLegAnswers: number[] = [];

beforeAll(async () => {
  side = await startCompanySide("verify");
  farEnd = await FarEnd.start(await sharedBrowser(), side.farEnd);
  for (const pbx of side.pbxs) {
    const ami = new AmiClient(pbx.ami);
    await ami.connect();
    amis.push(ami);
    ami.on("event", (event) => {
      if (event.event === "OriginateResponse" && header(event, "response") === "Success") promptLegAnswers.push(Date.now());
    });
    // A short ring for the no-answer case: the global the verify-out Dial reads (put back in afterAll).
    await ami.action({ Action: "Setvar", Variable: "VERIFY_RING_SECONDS", Value: String(ringSeconds) });
  }
  // Key presses in the far-end page, timed as they start (JsSIP sends RFC 4733 through RTCDTMFSender).
  await farEnd.page.evaluate(() => {
    const w = window as unknown as { toneStarts: Array<{ tone: string; at: number }> };
    w.toneStarts = [];
    const original = RTCDTMFSender.prototype.insertDTMF;
    const watched = new WeakSet<RTCDTMFSender>();
    RTCDTMFSender.prototype.insertDTMF = function (this: RTCDTMFSender, tones: string, duration?: number, gap?: number) {
      if (!watched.has(this)) {
        watched.add(this);
        this.addEventListener("tonechange", (e) => e.tone !== "" && w.toneStarts.push({ tone: e.tone, at: Date.now() }));
      }
      return original.call(this, tones, duration, gap);
    };
    // Keys sent as SIP INFO (a far end without telephone-event), timed as each request leaves.
    const infoKeys: Array<{ tone: string; at: number }> = [];
    (window as unknown as { infoKeys: typeof infoKeys }).infoKeys = infoKeys;
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (this: WebSocket, data: string | ArrayBufferLike | Blob | ArrayBufferView) {
      const tone = typeof data === "string" && data.startsWith("INFO ") ? /^Signal=(.)/m.exec(data)?.[1] : undefined;
      if (tone !== undefined) infoKeys.push({ tone, at: Date.now() });
      send.call(this, data);
    };
  });
}, 120_000);

afterAll(async () => {
  try {
    for (const ami of amis) {
      await ami.action({ Action: "Setvar", Variable: "VERIFY_RING_SECONDS", Value: "45" }).catch(() => undefined);
      ami.close();
    }
    for (const context of contexts) await context.close().catch(() => undefined);
    await farEnd?.stop();
  } finally {
    await side?.stop();
  }
});

const openApp = (email: string, password: string, name: string): Promise<Page> => openAppAs(side.host, contexts, { email, password, name });

const openSales = () => openApp("sales@demo.example", "demo-sales", "Sora Sales");

/** Personal settings → Change (or Connect a number) → US number → Receive verification call. */
async function requestCall(page: Page, national: string, extension = ""): Promise<void> {
  await page.getByTestId("personal-entry").click();
  await page.getByTestId("connected-number").getByRole("button", { name: /^(Change|Connect a number)$/ }).click();
  await page.getByLabel("Country").selectOption("US");
  await page.getByTestId("personal-number").pressSequentially(national);
  await page.getByTestId("personal-extension").fill(extension);
  await expect.poll(() => page.getByTestId("personal-number-check").getAttribute("data-kind")).toBe("ok");
  await page.getByRole("button", { name: "Receive verification call" }).click();
  await page.getByTestId("verification").waitFor();
}

const state = (page: Page) => page.getByTestId("verification").getAttribute("data-state");
const status = (page: Page) => page.getByTestId("verification-status").textContent();
const farEndCall = async (number: string) => (await farEnd.calls()).filter((c) => c.toUser === number).at(-1) ?? null;

async function answeredAndConnected(number: string): Promise<void> {
  await expect.poll(async () => (await farEndCall(number))?.status, { timeout: 15_000 }).toBe("answered");
  await expect.poll(async () => (await farEndCall(number))?.connectionState, { timeout: 10_000 }).toBe("connected");
}

/** When the success message appears, timed in the page itself (read back as `verifiedAt`). */
function watchVerifiedAt(page: Page): Promise<void> {
  return page.evaluate(() => {
    const w = window as unknown as { verifiedAt: number | null };
    w.verifiedAt = null;
    const seen = () => document.querySelector('[data-testid="verification"]')?.getAttribute("data-state") === "verified";
    new MutationObserver((_, observer) => {
      if (w.verifiedAt === null && seen()) {
        w.verifiedAt = Date.now();
        observer.disconnect();
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-state"] });
  });
}

/** Done, and the connected number is still the one before. */
async function numberUnchanged(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Done" }).click();
  expect(await page.getByTestId("connected-number").getAttribute("data-number")).toBe(seededNumber);
}

describe("connecting a number with a verification call through the PBX", () => {
  it("a wrong code ends in wrong_code with its message, and the number stays unverified", async () => {
    const page = await openSales();
    await farEnd.setAction({ kind: "answer", afterMs: 300 }, "rfc4733");
    await requestCall(page, "2015550172");
    await answeredAndConnected("+12015550172");
    const code = (await page.getByTestId("verification-code").textContent()) ?? "";
    expect(code).toMatch(/^[0-9]{6}$/);
    await farEnd.sendDtmf(`${code === "000000" ? "111111" : "000000"}#`, "rfc4733");
    await expect.poll(() => state(page), { timeout: 15_000 }).toBe("wrong_code");
    expect(await status(page)).toBe("The code typed on the phone did not match. The number is not connected.");
    await numberUnchanged(page);
  });

  it("a busy line ends in busy with its message", async () => {
    const page = await openSales();
    await farEnd.setAction({ kind: "reject", status: 486, afterMs: 200 }, "rfc4733");
    await requestCall(page, "2015550173");
    await expect.poll(() => state(page), { timeout: 15_000 }).toBe("busy");
    expect(await status(page)).toBe("The line was busy. The number is not connected.");
    await numberUnchanged(page);
  });

  it("a phone that rings unanswered ends in no_answer with its message", async () => {
    const page = await openSales();
    await farEnd.setAction({ kind: "silent" }, "rfc4733");
    await requestCall(page, "2015550174");
    await expect.poll(() => state(page), { timeout: 10_000 }).toBe("ringing");
    await expect.poll(() => state(page), { timeout: (ringSeconds + 10) * 1000 }).toBe("no_answer");
    expect(await status(page)).toBe("No one answered the verification call. The number is not connected.");
    await numberUnchanged(page);
  });

  it("hanging up before typing the code fails with its reason", async () => {
    const page = await openSales();
    await farEnd.setAction({ kind: "answer", afterMs: 300 }, "rfc4733");
    await requestCall(page, "2015550175");
    await answeredAndConnected("+12015550175");
    expect(await page.getByTestId("verification-code").isVisible()).toBe(true);
    await farEnd.hangUp();
    await expect.poll(() => state(page), { timeout: 15_000 }).toBe("failed");
    expect(await status(page)).toBe("The verification call failed: the call was hung up before the code was typed.");
    await numberUnchanged(page);
  });

  it("the right code verifies within 0.5 s of the last key, and the next call presents the number", async () => {
    const page = await openSales();
    await farEnd.setAction({ kind: "answer", afterMs: 300 }, "rfc4733");
    await requestCall(page, "2015550171");
    expect(await page.getByTestId("verification-code").isVisible()).toBe(true);
    await answeredAndConnected("+12015550171");
    await expect.poll(() => status(page), { timeout: 5_000 }).toBe("Answered. Type the code on your phone's keypad.");
    const code = (await page.getByTestId("verification-code").textContent()) ?? "";
    await watchVerifiedAt(page);
    await farEnd.sendDtmf(`${code}#`, "rfc4733");
    await expect.poll(() => state(page), { timeout: 15_000 }).toBe("verified");
    expect(await status(page)).toBe("✓ Verified. Your calls now show +1 201 555 0171.");

    const shownAt = await page.evaluate(() => (window as unknown as { verifiedAt: number | null }).verifiedAt);
    const tones = await farEnd.page.evaluate(() => (window as unknown as { toneStarts: Array<{ tone: string; at: number }> }).toneStarts);
    const lastKey = tones.filter((t) => t.tone === "#").at(-1);
    expect(lastKey).toBeDefined();
    expect(shownAt).not.toBeNull();
    const elapsed = shownAt! - lastKey!.at;
    console.log(`verify: last digit → success shown ${elapsed} ms`);
    expect(elapsed).toBeLessThanOrEqual(500);

    await page.getByRole("button", { name: "Done" }).click();
    expect(await page.getByTestId("connected-number").getAttribute("data-number")).toBe("+12015550171");

    // The next call from the app shows the verified number to the far end.
    await page.getByTestId("nav-phone").click();
    await expect.poll(() => page.getByTestId("registration").getAttribute("data-status"), { timeout: 15_000 }).toBe("registered");
    await farEnd.setAction({ kind: "answer", afterMs: 200 });
    await page.getByTestId("dial-number").fill("+12015550123");
    await page.getByRole("button", { name: "Call", exact: true }).click();
    await expect.poll(() => page.getByTestId("call-screen").getAttribute("data-status"), { timeout: 10_000 }).toBe("connected");
    expect(await farEndCall("+12015550123")).toMatchObject({ fromUser: "+12015550171" });
    await page.getByRole("button", { name: "Hang up" }).click();
  });

  it("an admin sees the user's connected number in the users list", async () => {
    const page = await openApp("admin@demo.example", "demo-admin", "Aiko Admin");
    await page.getByTestId("admin-entry").click();
    await page.getByTestId("admin-tab-users").click();
    const sales = page.getByTestId("company-user").filter({ hasText: "sales@demo.example" });
    // "Connected": the number shows once the status is expanded.
    await expect.poll(() => sales.getAttribute("data-status"), { timeout: 10_000 }).toBe("connected");
    await sales.getByTestId("caller-status").click();
    await expect.poll(() => sales.getByTestId("connected-number-badge").getAttribute("data-number"), { timeout: 10_000 }).toBe("+12015550171");
  });

  it("a user without a number is refused a call and led to Personal settings to connect one", async () => {
    const page = await openApp("admin@other.example", "other-admin", "Oliver Other");
    await expect.poll(() => page.getByTestId("registration").getAttribute("data-status"), { timeout: 15_000 }).toBe("registered");
    await page.getByTestId("dial-number").fill("+12015550123");
    await page.getByRole("button", { name: "Call", exact: true }).click();
    await expect.poll(() => page.getByTestId("call-status").textContent(), { timeout: 15_000 }).toBe("Call failed: your caller ID number is not verified yet.");
    await page.getByTestId("connect-number-link").click();
    expect(await page.getByTestId("connected-number").getAttribute("data-number")).toBe("");
    expect(await page.getByTestId("connected-number").textContent()).toContain("No number connected");
  });

  it("an office extension is dialed as DTMF 2 s after the answer, heard at the far end before the prompt, then the code verifies", async () => {
    const page = await openApp("admin@other.example", "other-admin", "Oliver Other");
    await farEnd.setAction({ kind: "answer", afterMs: 300 }, "info");
    promptLegAnswers.length = 0;
    await requestCall(page, "2015550176", "204");
    await answeredAndConnected("+12015550176");
    await expect.poll(() => status(page), { timeout: 5_000 }).toBe("Answered. Dialing extension 204: type the code on your phone's keypad when you hear the prompt.");
    const code = (await page.getByTestId("verification-code").textContent()) ?? "";
    // The far end hears the keys as tones (its answer has no telephone-event); timed by polling.
    let firstKeyAt: number | null = null;
    await expect
      .poll(
        async () => {
          const heard = (await farEndCall("+12015550176"))?.receivedDtmf ?? "";
          if (heard !== "") firstKeyAt ??= Date.now();
          return heard;
        },
        { timeout: 10_000, interval: 50 },
      )
      .toBe("204");
    await expect.poll(() => promptLegAnswers.length, { timeout: 5_000 }).toBe(1);
    const answeredAt = (await farEndCall("+12015550176"))?.answeredAt ?? NaN;
    const promptAt = promptLegAnswers[0]!;
    console.log(`verify with extension: first key heard ${firstKeyAt! - answeredAt} ms and prompt leg answered ${promptAt - answeredAt} ms after the answer`);
    expect(firstKeyAt! - answeredAt).toBeGreaterThanOrEqual(1_500);
    expect(promptAt - answeredAt).toBeGreaterThanOrEqual(2_000);
    expect(firstKeyAt!).toBeLessThan(promptAt);
    expect((await farEndCall("+12015550176"))?.receivedDtmf).toBe("204");

    await watchVerifiedAt(page);
    await farEnd.sendDtmf(`${code}#`, "info");
    await expect.poll(() => state(page), { timeout: 15_000 }).toBe("verified");
    const shownAt = await page.evaluate(() => (window as unknown as { verifiedAt: number | null }).verifiedAt);
    const lastKey = (await farEnd.page.evaluate(() => (window as unknown as { infoKeys: Array<{ tone: string; at: number }> }).infoKeys)).filter((k) => k.tone === "#").at(-1);
    expect(lastKey).toBeDefined();
    const elapsed = shownAt! - lastKey!.at;
    console.log(`verify with extension: last digit → success shown ${elapsed} ms`);
    expect(elapsed).toBeLessThanOrEqual(500);

    await page.getByRole("button", { name: "Done" }).click();
    expect(await page.getByTestId("connected-number").getAttribute("data-number")).toBe("+12015550176");
    expect(await page.getByTestId("connected-number").textContent()).toContain("+1 201 555 0176 ext. 204");
    // A re-verification starts from the extension the number was verified with.
    await page.getByRole("button", { name: "Change" }).click();
    expect(await page.getByTestId("personal-extension").inputValue()).toBe("204");
    await page.getByRole("button", { name: "Cancel" }).click();
  });

  it("the verify dialplan dials only the digits of an extension, whatever reaches it past the server", async () => {
    await farEnd.setAction({ kind: "answer", afterMs: 200 }, "info");
    // Straight to a PBX, as if the server were bypassed: no commas (AMI itself splits Variable on them).
    await amis[0]!.action({ Action: "Originate", Channel: "Local/+12015550177@verify-out", Application: "Wait", Data: "6", Variable: { VERIFY_EXTENSION: "2)0w&#*;4x|9" }, Timeout: 20_000, Async: true });
    await expect.poll(async () => (await farEndCall("+12015550177"))?.status, { timeout: 15_000 }).toBe("answered");
    await expect.poll(async () => (await farEndCall("+12015550177"))?.receivedDtmf, { timeout: 10_000, interval: 100 }).toBe("2049");
    // Nothing more after a moment: no '#', '*' or anything else was dialed.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect((await farEndCall("+12015550177"))?.receivedDtmf).toBe("2049");
    await farEnd.hangUp();
  });
});
