import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { openAppAs, sharedBrowser } from "./support/browser";
import { startCompanySide, type CompanySide } from "./support/company-side";
import { FarEnd } from "./support/far-end";

// The app (real host + server) calling through the real PBX to the JsSIP far end, on either
// topology (CALLER_TOPOLOGY: one server and one Asterisk, or HAProxy, Kamailio and several).
const number = "+12015550123";
let side: CompanySide;
let farEnd: FarEnd;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  side = await startCompanySide("calls");
  farEnd = await FarEnd.start(await sharedBrowser(), side.farEnd);
});

afterAll(async () => {
  try {
    for (const context of contexts) await context.close().catch(() => undefined);
    await farEnd?.stop();
  } finally {
    // Asterisk, server and host go whatever happened above.
    await side?.stop();
  }
});

/** The app signed in as this user (sales or Oliver Other), its softphone registered. */
async function openApp(email: string, password: string): Promise<Page> {
  const name = email === "sales@demo.example" ? "Sora Sales" : "Oliver Other";
  return registeredPage(await openAppAs(side.host, contexts, { email, password, name }));
}

async function registeredPage(page: Page): Promise<Page> {
  await expect.poll(() => page.getByTestId("registration").getAttribute("data-status"), { timeout: 15_000 }).toBe("registered");
  return page;
}

async function dial(page: Page, text: string): Promise<void> {
  await page.getByTestId("dial-number").fill(text);
  await page.getByRole("button", { name: "Call", exact: true }).click();
}

const callStatus = (page: Page) => page.getByTestId("call-status").textContent();
const screenStatus = (page: Page) => page.getByTestId("call-screen").getAttribute("data-status");

type ServerCall = { client_call_id: string | null; pbx_uniqueid: string; billed_seconds: number; disposition: string; number: string };
const serverCalls = () => side.rows<ServerCall>("select client_call_id, pbx_uniqueid, billed_seconds, disposition, number from calls order by id");

describe("calls from the app through the PBX", () => {
  it("calls, talks both ways, sends keypad digits, hangs up, and the call is in history and recorded once", async () => {
    const page = await openApp("sales@demo.example", "demo-sales");
    await farEnd.setAction({ kind: "answer", afterMs: 400 });
    await dial(page, "+1 201 555 0123");
    await expect.poll(() => screenStatus(page), { timeout: 10_000 }).toBe("connected");
    expect(await farEnd.lastCall()).toMatchObject({ toUser: number, fromUser: "+819012345678", status: "answered" });

    const quality = page.getByTestId("call-quality");
    await expect.poll(async () => Number(await quality.getAttribute("data-packets-received")), { timeout: 10_000 }).toBeGreaterThan(20);
    await expect.poll(async () => Number(await quality.getAttribute("data-inbound-level")), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await farEnd.media()).packetsReceived, { timeout: 10_000 }).toBeGreaterThan(20);
    await expect.poll(async () => (await farEnd.media()).inboundAudioLevel, { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => quality.getAttribute("data-level")).toBe("good");

    // At a person's pace: each key is on its way (the app says so) before the next is pressed.
    let typed = "";
    for (const key of ["7", "3", "#"]) {
      await page.getByTestId("call-keypad").getByRole("button", { name: key, exact: true }).click();
      typed += key;
      await expect.poll(() => page.getByTestId("dtmf-sent").textContent()).toBe(`Sent: ${typed}`);
    }
    await expect.poll(async () => (await farEnd.lastCall())?.receivedDtmf, { timeout: 10_000 }).toBe("73#");

    await page.getByRole("button", { name: "Mute" }).click();
    await expect.poll(() => page.getByRole("button", { name: "Unmute" }).getAttribute("aria-pressed")).toBe("true");
    await page.getByRole("button", { name: "Unmute" }).click();

    await page.waitForTimeout(2200);
    await page.getByRole("button", { name: "Hang up" }).click();
    await expect.poll(() => callStatus(page)).toBe("Call ended");
    await expect.poll(async () => (await farEnd.lastCall())?.endedBy).toBe("remote");

    const item = page.getByTestId("history-list").getByTestId("history-item").filter({ has: page.locator(`[data-e164="${number}"]`) }).first();
    await expect.poll(() => item.getByTestId("history-disposition").getAttribute("data-disposition"), { timeout: 15_000 }).toBe("answered");
    const answered = (await serverCalls()).filter((c) => c.disposition === "answered");
    expect(answered).toHaveLength(1);
    const record = answered[0]!;
    expect(record.billed_seconds).toBeGreaterThanOrEqual(2);
    expect(record.billed_seconds).toBe(await side.billsec(record.pbx_uniqueid));
    expect(await item.getByTestId("history-duration").textContent()).toMatch(/\d+ sec/);
    await page.getByRole("button", { name: "Done" }).click();
  });

  it("shows the far end hanging up", async () => {
    const page = await openApp("sales@demo.example", "demo-sales");
    await farEnd.setAction({ kind: "answer", afterMs: 0 });
    await dial(page, number);
    await expect.poll(() => screenStatus(page), { timeout: 10_000 }).toBe("connected");
    await farEnd.hangUp();
    await expect.poll(() => callStatus(page)).toBe("The other party hung up");
  });

  it("the tray's small dialer registers no second SIP contact: its Call is placed by the main window", async () => {
    const page = await openApp("sales@demo.example", "demo-sales");
    // Electron opens the tray's page as index.html#tray; here a second tab of the host's page, turned into it.
    const tray = await page.context().newPage();
    await tray.goto(side.host.url);
    await tray.getByTestId("dial-number").waitFor();
    await tray.evaluate(() => {
      window.location.hash = "tray";
    });
    // Sockets counted from the tray-mode document's start: the tab's first load was an ordinary
    // window, whose own SIP socket may still be opening when the hash changes.
    const sipSockets: string[] = [];
    let trayLoaded = false;
    tray.on("websocket", (socket) => {
      if (socket.url().startsWith(side.sipWsUrl) && trayLoaded) sipSockets.push(socket.url());
    });
    tray.once("domcontentloaded", () => {
      trayLoaded = true;
    });
    await tray.reload();
    await tray.getByTestId("dial-number").waitFor();
    await farEnd.setAction({ kind: "answer", afterMs: 0 });
    await dial(tray, number);
    await expect.poll(() => screenStatus(page), { timeout: 10_000 }).toBe("connected");
    expect(await tray.getByTestId("registration").count()).toBe(0);
    expect(await tray.getByTestId("call-screen").count()).toBe(0);
    expect(sipSockets).toEqual([]);
    await farEnd.hangUp();
    await expect.poll(() => callStatus(page)).toBe("The other party hung up");
    await tray.close();
  });

  it.each([
    [486, "Call failed: the line is busy.", "busy"],
    [480, "Call failed: no one answered.", "no_answer"],
    [603, "Call failed: the call was declined.", "declined"],
  ])("says in words why the far end's %i ended the call, and the server records it as its own kind", async (status, message, disposition) => {
    const page = await openApp("sales@demo.example", "demo-sales");
    const before = (await serverCalls()).length;
    await farEnd.setAction({ kind: "reject", status, afterMs: 100 });
    await dial(page, number);
    await expect.poll(() => callStatus(page), { timeout: 10_000 }).toBe(message);
    // The CDR arrives a moment after the hangup.
    await expect.poll(async () => (await serverCalls()).slice(before).at(-1)?.disposition ?? null, { timeout: 10_000 }).toBe(disposition);
  });

  it("says why the server refused a call: blocked destination, unverified caller ID", async () => {
    const sales = await openApp("sales@demo.example", "demo-sales");
    await dial(sales, "+1 900 555 0199");
    await expect.poll(() => callStatus(sales), { timeout: 15_000 }).toBe("Call failed: calls to this destination are blocked.");
    const other = await openApp("admin@other.example", "other-admin");
    await dial(other, number);
    await expect.poll(() => callStatus(other), { timeout: 15_000 }).toBe("Call failed: your caller ID number is not verified yet.");
    await expect.poll(async () => (await serverCalls()).filter((c) => c.disposition.startsWith("refused:")).map((c) => c.disposition).sort(), { timeout: 10_000 }).toEqual([
      "refused:destination_blocked",
      "refused:number_not_verified",
    ]);
  });

  it("never dials a number with & , ; a line break or letters, nor an emergency number", async () => {
    const page = await openApp("sales@demo.example", "demo-sales");
    const before = (await serverCalls()).length;
    const call = page.getByRole("button", { name: "Call", exact: true });
    for (const text of ["+1201555&0123", "+1201555,0123", "+1201555;0123", "+1201555O123", "sip:+12015550123@evil"]) {
      await page.getByTestId("dial-number").fill(text);
      expect(await call.isDisabled(), text).toBe(true);
      await page.getByTestId("dial-number").press("Enter");
    }
    // A one-line field drops a pasted line break itself: it never reaches the number.
    await page.getByTestId("dial-number").fill("+1201555\n0123");
    expect(await page.getByTestId("dial-number").inputValue()).not.toMatch(/[\r\n]/);
    await page.getByTestId("dial-number").fill("110");
    await expect.poll(() => page.getByTestId("dial-status").textContent()).toContain("emergency");
    expect(await call.isDisabled()).toBe(true);
    expect(await page.getByTestId("call-screen").count()).toBe(0);
    expect((await serverCalls()).length).toBe(before);
  });

  it("shows reconnecting when the PBX WebSocket drops while idle, registers again, and the next call works", async () => {
    const page = await openApp("sales@demo.example", "demo-sales");
    await side.cutSip();
    await expect.poll(() => page.getByTestId("registration").getAttribute("data-status"), { timeout: 5000 }).toBe("reconnecting");
    await expect.poll(() => page.getByTestId("registration").textContent()).toContain("Reconnecting");
    await expect.poll(() => page.getByTestId("registration").getAttribute("data-status"), { timeout: 15_000 }).toBe("registered");
    await farEnd.setAction({ kind: "answer", afterMs: 0 });
    await dial(page, number);
    await expect.poll(() => screenStatus(page), { timeout: 10_000 }).toBe("connected");
    await page.getByRole("button", { name: "Hang up" }).click();
    await expect.poll(() => callStatus(page)).toBe("Call ended");
  });

  it("an admin revoking the user's Caller access ends their call in progress at once", async () => {
    const page = await openApp("sales@demo.example", "demo-sales");
    await farEnd.setAction({ kind: "answer", afterMs: 0 });
    await dial(page, number);
    await expect.poll(() => screenStatus(page), { timeout: 10_000 }).toBe("connected");
    const signIn = await fetch(`${side.serverUrl}/api/auth/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "admin@demo.example", password: "demo-admin" }) });
    const admin = { authorization: `Bearer ${((await signIn.json()) as { token: string }).token}`, "content-type": "application/json" };
    const { users } = (await (await fetch(`${side.serverUrl}/api/admin/users`, { headers: admin })).json()) as { users: { id: number; email: string }[] };
    const salesId = users.find((user) => user.email === "sales@demo.example")!.id;
    const setCaller = (enabled: boolean) => fetch(`${side.serverUrl}/api/admin/users/${salesId}/caller`, { method: "POST", headers: admin, body: JSON.stringify({ enabled }) });
    try {
      const revokedAt = Date.now();
      expect((await setCaller(false)).status).toBe(200);
      // The PBX ends it (a BYE to the app's WebRTC channel, PJSIP/<endpoint>-…) and the far end's leg with it.
      await expect.poll(async () => (await farEnd.lastCall())?.status, { timeout: 5_000 }).toBe("ended");
      await expect.poll(() => screenStatus(page), { timeout: 5_000 }).not.toBe("connected");
      expect(Date.now() - revokedAt).toBeLessThan(5_000);
    } finally {
      expect((await setCaller(true)).status).toBe(200);
    }
  });
});
