import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { AmiClient } from "../src-server/pbx/ami-client";
import { newPage, sharedBrowser, signIn } from "./support/browser";
import { startCallRig, type CallRig } from "./support/call-app";
import { FarEnd } from "./support/far-end";

// Connecting a number through the app: the real server places the verification
// call through the shared Asterisk to the JsSIP far end, which answers (or not)
// and presses the code it reads from the app page as RFC 4733 DTMF.
const seededNumber = "+819012345678";
const ringSeconds = 4;
let rig: CallRig;
let farEnd: FarEnd;
let ami: AmiClient;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  rig = await startCallRig("verify");
  farEnd = await FarEnd.start(await sharedBrowser(), { wsUrl: rig.pbx.facts.wsUrl, uri: "sip:far-end@127.0.0.1", password: rig.farEndPassword });
  const { amiHost, amiPort, amiUser, amiSecret } = rig.pbx.facts;
  ami = new AmiClient({ host: amiHost, port: amiPort, username: amiUser, secret: amiSecret });
  await ami.connect();
  // A short ring for the no-answer case: the global the verify-out Dial reads (put back in afterAll).
  await ami.action({ Action: "Setvar", Variable: "VERIFY_RING_SECONDS", Value: String(ringSeconds) });
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
  });
}, 120_000);

afterAll(async () => {
  try {
    if (ami) {
      await ami.action({ Action: "Setvar", Variable: "VERIFY_RING_SECONDS", Value: "45" }).catch(() => undefined);
      ami.close();
    }
    for (const context of contexts) await context.close().catch(() => undefined);
    await farEnd?.stop();
  } finally {
    await rig?.stop();
  }
});

async function openApp(email: string, password: string, name: string): Promise<Page> {
  for (const old of contexts.splice(0)) await old.close();
  const { context, page } = await newPage("en-US");
  contexts.push(context);
  page.on("pageerror", (e) => console.log(`[app page error] ${e.message}`));
  await page.goto(rig.host.url);
  const signOut = page.getByRole("button", { name: "Sign out" });
  const emailField = page.getByLabel("Email");
  await expect.poll(async () => (await signOut.isVisible()) || (await emailField.isVisible())).toBe(true);
  if (await signOut.isVisible()) {
    if ((await page.locator(".who").textContent())?.includes(name)) return page;
    await signOut.click();
  }
  await signIn(page, email, password);
  await page.getByRole("button", { name: "Sign out" }).waitFor();
  return page;
}

const openSales = () => openApp("sales@demo.example", "demo-sales", "Sora Sales");

/** Personal settings → Change → US number → Receive verification call. */
async function requestCall(page: Page, national: string, extension = ""): Promise<void> {
  await page.getByTestId("personal-entry").click();
  await page.getByRole("button", { name: "Change" }).click();
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
    await requestCall(page, "2015550171", "204");
    expect(await page.getByTestId("verification-code").isVisible()).toBe(true);
    await answeredAndConnected("+12015550171");
    await expect.poll(() => status(page), { timeout: 5_000 }).toBe("Answered. Type the code on your phone's keypad.");
    const code = (await page.getByTestId("verification-code").textContent()) ?? "";
    // When the success message appears, timed in the page itself.
    await page.evaluate(() => {
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
    expect(await page.getByTestId("connected-number").textContent()).toContain("Extension 204");

    // The next call from the app shows the verified number to the far end.
    await page.getByTestId("personal-entry").click();
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
});
