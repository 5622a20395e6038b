import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { sharedBrowser } from "./support/browser";
import { demoCredentials } from "../src-server/seed/demo";
import { startAppRig, type AppRig } from "./support/call-rig";
import { callScreenSizes, openScreens, photographSettled, showScreen, type ScreenLanguage } from "./support/screens";

// Attended transfer to a teammate from the app, through the real server and the real Asterisk: the sales
// user's app (one host) calls the JsSIP far end on the trunk, holds it and consults the company's admin,
// signed in on a second host; then completes (the admin talks with the far end) or goes back (the user
// talks with the far end again). A decline brings the user back with a message. What each side hears is
// read from its receive statistics (packets and audio level), not assumed.
let rig: AppRig;
const sizes = callScreenSizes;
const theme = "light";
const { sales, admin } = demoCredentials;

beforeAll(async () => {
  rig = await startAppRig("transfer-team", { farEndAction: { kind: "answer", afterMs: 300 } });
  // The admin's desktop, started with the rest rather than in the first test.
  await rig.secondHost();
}, 120_000);

afterAll(() => rig?.stop());

const status = (page: Page) => page.getByTestId("call-screen").getAttribute("data-status");
const received = async (page: Page): Promise<{ packets: number; level: number }> => {
  const quality = page.getByTestId("call-quality");
  return { packets: Number(await quality.getAttribute("data-packets-received")), level: Number(await quality.getAttribute("data-inbound-level")) };
};

async function shoot(page: Page, name: string, language: ScreenLanguage): Promise<void> {
  for (const size of sizes) {
    await page.setViewportSize(size);
    expect(await photographSettled(page, name, { language, theme, size }), `${name} ${language} ${size.width}×${size.height}`).toEqual([]);
  }
  await page.setViewportSize(sizes[0]!);
}

/** The sales user's and the admin's windows, in one language, both registered; the previous test's are closed (every registered app of the admin would ring). */
async function open(language: ScreenLanguage): Promise<{ user: Page; teammate: Page }> {
  for (const context of rig.contexts.splice(0)) await context.close().catch(() => undefined);
  const user = await openScreens(await sharedBrowser(), rig.base.host, { language, theme, size: sizes[0]!, user: sales });
  const teammate = await openScreens(await sharedBrowser(), await rig.secondHost(), { language, theme, size: sizes[0]!, user: admin });
  rig.contexts.push(user.context, teammate.context);
  for (const page of [user.page, teammate.page]) await expect.poll(() => page.getByTestId("registration").getAttribute("data-state"), { timeout: 30_000 }).toBe("ready");
  return { user: user.page, teammate: teammate.page };
}

async function answeredCall(page: Page, to: string): Promise<void> {
  await page.getByTestId("dial-number").fill(to);
  await page.locator(".dial-actions button.call").click();
  await expect.poll(() => status(page), { timeout: 10_000 }).toBe("connected");
  await expect.poll(async () => (await rig.farCall(to))?.status, { timeout: 10_000 }).toBe("answered");
}

/** Transfer → the admin → "Consult first": the admin's app rings. */
async function consultAdmin(page: Page, language: ScreenLanguage): Promise<void> {
  await page.getByTestId("transfer").click();
  const picker = page.getByTestId("transfer-teammate");
  await expect.poll(() => picker.locator("option").allTextContents(), { timeout: 10_000 }).toContain(language === "en" ? "Aiko Admin (available)" : "Aiko Admin (対応可能)");
  await picker.selectOption(String(rig.serverRows<{ id: number }>("select id from users where email = ?", admin.email)[0]!.id));
  await page.getByTestId("transfer-consult").click();
}

describe("attended transfer to a teammate from the app", () => {
  it("complete (en): the caller is held, the teammate's app rings with who transfers and the caller, answers, and after Complete hears the far end; nothing is charged for the internal legs; the call is in the teammate's history, transferred by the user", async () => {
    const first = "+12015550141";
    const { user, teammate } = await open("en");
    await answeredCall(user, first);
    await consultAdmin(user, "en");
    await expect.poll(() => status(user), { timeout: 5_000 }).toBe("on-hold");
    await teammate.getByTestId("incoming-call").waitFor({ timeout: 10_000 });
    expect(await teammate.getByTestId("incoming-transferred-by").textContent()).toBe("Sora Sales wants to transfer this caller to you");
    // The caller as a person reads it: a US number in the Japanese company's app is international style.
    expect(await teammate.getByTestId("incoming-call").textContent()).toContain("From +1 201 555 0141");
    expect(await user.getByTestId("consult-status").textContent()).toBe("Calling Aiko Admin… The caller is on hold and hears music.");
    await shoot(teammate, "transfer-team-incoming", "en");
    await teammate.getByTestId("incoming-answer").click();
    await expect.poll(() => user.getByTestId("consult-panel").getAttribute("data-status"), { timeout: 10_000 }).toBe("connected");
    expect(await user.getByTestId("consult-status").textContent()).toBe("Talking to Aiko Admin. The caller is on hold.");
    // The far end hears the PBX's hold music while the user consults.
    await expect.poll(async () => (await rig.farEnd.media()).inboundAudioLevel, { timeout: 10_000 }).toBeGreaterThan(0);
    await shoot(user, "transfer-team-consult", "en");

    await user.getByTestId("transfer-complete").click();
    await expect.poll(() => status(user), { timeout: 5_000 }).toBe("ended");
    // The teammate now talks with the far end: packets keep coming, with sound in them, and the far end's call is the same answered one.
    await expect.poll(() => teammate.getByTestId("call-screen").getAttribute("data-status"), { timeout: 5_000 }).toBe("connected");
    const before = (await received(teammate)).packets;
    await expect.poll(async () => (await received(teammate)).packets - before, { timeout: 10_000 }).toBeGreaterThan(25);
    await expect.poll(async () => (await received(teammate)).level, { timeout: 10_000 }).toBeGreaterThan(0);
    expect((await rig.farCall(first))?.status).toBe("answered");
    const adminId = rig.serverRows<{ id: number }>("select id from users where email = ?", admin.email)[0]!.id;
    expect(rig.serverRows("select t.mode, t.to_number, t.to_user_id from call_transfers t join calls c on c.id = t.call_id where c.number = ?", first)).toEqual([{ mode: "attended", to_number: "", to_user_id: adminId }]);
    await rig.farEnd.hangUp();
    await expect.poll(() => teammate.getByTestId("call-screen").getAttribute("data-status"), { timeout: 10_000 }).toBe("ended");
    // Only the first call has a record and a charge; the consultation and the bridged talk are internal.
    await expect.poll(() => rig.serverRows<{ status: string }>("select status from calls where number = ?", first)[0]?.status, { timeout: 15_000 }).toBe("ended");
    expect(rig.serverRows("select number from calls where number not like '+%'")).toEqual([]);
    const [stray] = rig.serverRows<{ charges: number }>("select count(*) as charges from ledger_entries where kind = 'call_charge' and pbx_uniqueid not in (select pbx_uniqueid from calls)");
    expect(stray?.charges).toBe(0);
    // The teammate's own history has the call they took over: received from the far end, transferred by the user, not charged.
    await expect.poll(() => rig.serverRows<{ status: string }>("select status from calls where number = ? and transferred_by is not null", first)[0]?.status, { timeout: 15_000 }).toBe("ended");
    expect(rig.serverRows("select direction, transferred_by, cost_micros from calls where number = ? and transferred_by is not null", first)).toEqual([{ direction: "inbound", transferred_by: "Sora Sales", cost_micros: null }]);
    await showScreen(teammate, "history");
    const row = teammate.getByTestId("history-row").filter({ has: teammate.getByTestId("history-transferred-by") });
    await expect.poll(() => row.first().getByTestId("history-transferred-by").textContent(), { timeout: 20_000 }).toBe("Transferred by Sora Sales");
    expect(await row.first().getByTestId("history-number").getAttribute("data-e164")).toBe(first);
  }, 150_000);

  it("go back (ja), then a decline: the user talks with the far end again; a declining teammate brings the user back with a message", async () => {
    const first = "+12015550142";
    const { user, teammate } = await open("ja");
    await answeredCall(user, first);
    await consultAdmin(user, "ja");
    await teammate.getByTestId("incoming-call").waitFor({ timeout: 10_000 });
    expect(await teammate.getByTestId("incoming-transferred-by").textContent()).toBe("Sora Sales さんから転送の相談です");
    await shoot(teammate, "transfer-team-incoming", "ja");
    await teammate.getByTestId("incoming-answer").click();
    await expect.poll(() => user.getByTestId("consult-panel").getAttribute("data-status"), { timeout: 10_000 }).toBe("connected");
    await shoot(user, "transfer-team-consult", "ja");
    const held = (await received(user)).packets;

    await user.getByTestId("transfer-back").click();
    await expect.poll(() => status(user), { timeout: 5_000 }).toBe("connected");
    await expect.poll(() => teammate.getByTestId("call-screen").getAttribute("data-status"), { timeout: 10_000 }).toBe("ended");
    // The user hears the far end again.
    await expect.poll(async () => (await received(user)).packets - held, { timeout: 10_000 }).toBeGreaterThan(25);
    await expect.poll(async () => (await received(user)).level, { timeout: 10_000 }).toBeGreaterThan(0);
    expect((await rig.farCall(first))?.status).toBe("answered");
    expect(rig.serverRows("select t.id from call_transfers t join calls c on c.id = t.call_id where c.number = ?", first)).toEqual([]);
    await teammate.getByRole("button", { name: "閉じる" }).click();

    // Consult again; the teammate declines: the user is back with the caller, told so in words.
    await consultAdmin(user, "ja");
    await teammate.getByTestId("incoming-call").waitFor({ timeout: 10_000 });
    await teammate.getByTestId("incoming-decline").click();
    await expect.poll(() => user.getByTestId("consult-ended").textContent(), { timeout: 10_000 }).toBe("Aiko Admin さんが応答を拒否しました。元の通話に戻りました。");
    await expect.poll(() => status(user), { timeout: 5_000 }).toBe("connected");
    await shoot(user, "transfer-team-declined", "ja");
    await user.getByTestId("consult-dismiss").click();
    expect(await user.getByTestId("consult-panel").count()).toBe(0);
    await user.locator("button.hang-up").click();
    await expect.poll(() => status(user), { timeout: 10_000 }).toBe("ended");
    expect(rig.serverRows("select t.id from call_transfers t join calls c on c.id = t.call_id where c.number = ?", first)).toEqual([]);
  }, 150_000);

  it("closing the app's window mid-call hangs up at once: the far end gets a BYE, and the call's record ends then", async () => {
    const number = "+12015550143";
    const { user } = await open("en");
    await answeredCall(user, number);
    const closedAt = Date.now();
    await user.context().close();
    await expect.poll(async () => (await rig.farCall(number))?.status, { timeout: 3_000 }).toBe("ended");
    const far = (await rig.farCall(number))!;
    expect(far.endedBy).toBe("remote");
    expect(far.endedAt! - closedAt).toBeLessThan(2_000);
    await expect.poll(() => rig.serverRow<{ status: string }>("select status from calls where number = ?", number)?.status, { timeout: 10_000 }).toBe("ended");
  }, 60_000);
});
