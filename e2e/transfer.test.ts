import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { sharedBrowser } from "./support/browser";
import { demoCredentials } from "../src-server/seed/demo";
import { startAppRig, type AppRig } from "./support/call-rig";
import { callScreenSizes, openScreens, photographSettled, showScreen, type ScreenLanguage } from "./support/screens";
import { formatForCountry } from "../src-shared/phone/normalize";

// Transfer from the app through the real server and the real Asterisk. The JsSIP far end on the trunk takes
// both the first call's party and the third party (two sessions, told apart by the number the PBX dialed).
// Blind: the third party is reached by the server's own leg, charged to the user; attended: the app
// consults the third party while the first call is held, then completes. A blocked destination is refused
// and the call goes on. The dialog and the consultation are photographed in both languages at both sizes.
// The teammate's desktop is the rig's second host (one signed-in user each), signed in as the admin.
let rig: AppRig;
const sizes = callScreenSizes;
const theme = "light";
const { sales, admin } = demoCredentials;

beforeAll(async () => {
  rig = await startAppRig("transfer", { farEndAction: { kind: "answer", afterMs: 300 } });
}, 120_000);

afterAll(() => rig?.stop());

const screenStatus = (page: Page) => page.getByTestId("call-screen").getAttribute("data-status");

async function shoot(page: Page, name: string, language: ScreenLanguage): Promise<void> {
  for (const size of sizes) {
    await page.setViewportSize(size);
    expect(await photographSettled(page, name, { language, theme, size }), `${name} ${language} ${size.width}×${size.height}`).toEqual([]);
  }
  await page.setViewportSize(sizes[0]!);
}

const pages = new Map<ScreenLanguage, Page>();

/** One app window per language for the whole file: each new one registers again, slow on a loaded machine. */
async function open(language: ScreenLanguage): Promise<Page> {
  const opened = pages.get(language);
  if (opened !== undefined) {
    if ((await screenStatus(opened).catch(() => null)) === "ended") await opened.getByRole("button", { name: language === "en" ? "Done" : "閉じる" }).click();
    await opened.getByTestId("dial-number").waitFor();
    return opened;
  }
  const { context, page } = await openScreens(await sharedBrowser(), rig.base.host, { language, theme, size: sizes[0]!, user: sales });
  rig.contexts.push(context);
  await expect.poll(() => page.getByTestId("registration").getAttribute("data-state"), { timeout: 30_000 }).toBe("ready");
  pages.set(language, page);
  return page;
}

async function answeredCall(page: Page, to: string): Promise<void> {
  await page.getByTestId("dial-number").fill(to);
  await page.locator(".dial-actions button.call").click();
  await expect.poll(() => screenStatus(page), { timeout: 10_000 }).toBe("connected");
  await expect.poll(async () => (await rig.farCall(to))?.status, { timeout: 10_000 }).toBe("answered");
}

/** The call's charge in the server's ledger (micros, positive), and its record. */
function chargedCall(number: string): { costMicros: number; charged: number; billedSeconds: number } | undefined {
  const [call] = rig.serverRows<{ pbx_uniqueid: string; cost_micros: number; billed_seconds: number }>("select pbx_uniqueid, cost_micros, billed_seconds from calls where number = ? and status = 'ended' and direction = 'outbound' order by id desc", number);
  if (call === undefined) return undefined;
  const [ledger] = rig.serverRows<{ total: number | null }>("select sum(amount_micros) as total from ledger_entries where pbx_uniqueid = ? and kind = 'call_charge'", call.pbx_uniqueid);
  return { costMicros: Number(call.cost_micros), charged: -Number(ledger?.total ?? 0), billedSeconds: Number(call.billed_seconds) };
}

describe("transfer from the app", () => {
  it("blind: the third party is reached, the app is free at once, and the transfer leg is charged to the user", async () => {
    const page = await open("en");
    await answeredCall(page, "+12015550131");
    await page.getByTestId("transfer").click();
    await page.getByTestId("transfer-panel").waitFor();
    await page.getByTestId("transfer-number").fill("+12015550132");
    await shoot(page, "transfer-dialog", "en");
    await page.getByTestId("transfer-blind").click();
    // The app's leg ends; the first party stays on and the third party rings and answers.
    await expect.poll(() => screenStatus(page), { timeout: 5_000 }).toBe("ended");
    await expect.poll(async () => (await rig.farCall("+12015550132"))?.status, { timeout: 10_000 }).toBe("answered");
    expect((await rig.farCall("+12015550131"))?.status).toBe("answered");
    // They talk for 2 s; the third party hangs up, which ends the first party's line too.
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    await rig.farEnd.hangUp();
    await expect.poll(async () => (await rig.farCall("+12015550131"))?.status, { timeout: 10_000 }).toBe("ended");
    await expect.poll(() => chargedCall("+12015550132")?.charged ?? 0, { timeout: 15_000 }).toBeGreaterThan(0);
    const leg = chargedCall("+12015550132")!;
    expect(leg.billedSeconds).toBeGreaterThanOrEqual(2);
    expect(leg.charged).toBe(leg.costMicros);
    expect(rig.serverRows("select mode, to_number from call_transfers")).toEqual([{ mode: "blind", to_number: "+12015550132" }]);
  }, 120_000);

  it("a blocked destination is refused with a clear error and the call goes on", async () => {
    const page = await open("en");
    await answeredCall(page, "+12015550133");
    await page.getByTestId("transfer").click();
    await page.getByTestId("transfer-number").fill("+19002345678");
    await page.getByTestId("transfer-blind").click();
    await expect.poll(() => page.getByTestId("transfer-error").textContent(), { timeout: 5_000 }).toMatch(/not transferred.*The call goes on/);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await screenStatus(page)).toBe("connected");
    expect((await rig.farCall("+12015550133"))?.status).toBe("answered");
    expect((await rig.farEnd.calls()).some((c) => c.toUser === "+19002345678")).toBe(false);
    await page.keyboard.press("Escape");
    await page.locator("button.hang-up").click();
    await expect.poll(() => screenStatus(page), { timeout: 10_000 }).toBe("ended");
  }, 60_000);

  for (const language of ["en", "ja"] as const) {
    it(`attended (${language}): consult with the first call on hold, then complete; the third party talks on with the first party`, async () => {
      const first = language === "en" ? "+12015550134" : "+12015550136";
      const third = language === "en" ? "+12015550135" : "+12015550137";
      const page = await open(language);
      await answeredCall(page, first);
      await page.getByTestId("transfer").click();
      await page.getByTestId("transfer-number").fill(third);
      if (language === "ja") await shoot(page, "transfer-dialog", "ja");
      await page.getByTestId("transfer-consult").click();
      await expect.poll(() => page.getByTestId("consult-panel").getAttribute("data-status"), { timeout: 10_000 }).toBe("connected");
      expect(await screenStatus(page)).toBe("on-hold");
      expect((await rig.farCall(third))?.status).toBe("answered");
      await shoot(page, "transfer-consult", language);
      await page.getByTestId("transfer-complete").click();
      await expect.poll(() => screenStatus(page), { timeout: 5_000 }).toBe("ended");
      // Both other parties are still up, now with each other.
      await new Promise((resolve) => setTimeout(resolve, 2_200));
      expect((await rig.farCall(first))?.status).toBe("answered");
      expect((await rig.farCall(third))?.status).toBe("answered");
      await rig.farEnd.hangUp();
      await expect.poll(async () => (await rig.farCall(first))?.status, { timeout: 10_000 }).toBe("ended");
      // The consultation call carried the third party on and is charged for that time too.
      await expect.poll(() => chargedCall(third)?.billedSeconds ?? 0, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
      const leg = chargedCall(third)!;
      expect(leg.charged).toBe(leg.costMicros);
      expect(rig.serverRows("select mode from call_transfers where to_number = ?", third)).toEqual([{ mode: "attended" }]);
    }, 120_000);
  }
  for (const language of ["en", "ja"] as const) {
    it(`blind to a teammate (${language}): the other user's app rings with the caller and who transferred, answers and hears the far end; the internal leg is not charged`, async () => {
      const first = language === "en" ? "+12015550138" : "+12015550139";
      const page = await open(language);
      // The teammate: a second app window signed in as the company's admin (only one at a time: every registered app of theirs rings).
      const teammate = await openScreens(await sharedBrowser(), await rig.secondHost(), { language, theme, size: sizes[0]!, user: admin });
      try {
        const other = teammate.page;
        await expect.poll(() => other.getByTestId("registration").getAttribute("data-state"), { timeout: 30_000 }).toBe("ready");
        await answeredCall(page, first);
        // The admin asks to listen (and never joins): the call's coaching log has an entry for history to show.
        const firstId = rig.serverRows<{ id: number }>("select id from calls where number = ? order by id desc", first)[0]!.id;
        const signIn = await fetch(`${rig.base.server.url}/api/auth/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(admin) });
        const adminToken = ((await signIn.json()) as { token: string }).token;
        const coach = await fetch(`${rig.base.server.url}/api/admin/coaching/sessions`, { method: "POST", headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" }, body: JSON.stringify({ callId: String(firstId), mode: "listen" }) });
        expect(coach.status).toBe(200);
        await page.getByTestId("transfer").click();
        const picker = page.getByTestId("transfer-teammate");
        await expect.poll(() => picker.locator("option").allTextContents(), { timeout: 10_000 }).toContain(language === "en" ? "Aiko Admin (available)" : "Aiko Admin (対応可能)");
        const adminId = rig.serverRows<{ id: number }>("select id from users where email = ?", admin.email)[0]!.id;
        await picker.selectOption(String(adminId));
        await shoot(page, "transfer-teammate", language);
        await page.getByTestId("transfer-blind").click();
        await expect.poll(() => screenStatus(page), { timeout: 5_000 }).toBe("ended");

        // The teammate's app rings: the caller's number and who transferred it, before answer.
        await other.getByTestId("incoming-call").waitFor({ timeout: 10_000 });
        expect(await other.getByTestId("incoming-transferred-by").textContent()).toBe(language === "en" ? "Transferred by Sora Sales" : "Sora Sales さんからの転送");
        // As a person reads it: international style for a number outside the user's country.
        expect(await other.getByTestId("incoming-call").textContent()).toContain(formatForCountry(first, "JP"));
        await shoot(other, "transfer-incoming", language);
        await other.getByTestId("incoming-answer").click();
        await expect.poll(() => other.getByTestId("call-screen").getAttribute("data-status"), { timeout: 10_000 }).toBe("connected");
        // The teammate hears the far end (its receive statistics), and the far end is still the same answered call.
        const quality = other.getByTestId("call-quality");
        await expect.poll(async () => Number(await quality.getAttribute("data-packets-received")), { timeout: 10_000 }).toBeGreaterThan(20);
        await expect.poll(async () => Number(await quality.getAttribute("data-inbound-level")), { timeout: 10_000 }).toBeGreaterThan(0);
        expect((await rig.farCall(first))?.status).toBe("answered");
        await rig.farEnd.hangUp();
        await expect.poll(() => other.getByTestId("call-screen").getAttribute("data-status"), { timeout: 10_000 }).toBe("ended");

        // Recorded as a transfer to that user; the first call is charged once, as before; nothing else is.
        expect(rig.serverRows("select t.mode, t.to_number, t.to_user_id from call_transfers t join calls c on c.id = t.call_id where c.number = ?", first)).toEqual([{ mode: "blind", to_number: "", to_user_id: adminId }]);
        await expect.poll(() => chargedCall(first)?.charged ?? 0, { timeout: 15_000 }).toBeGreaterThan(0);
        expect(chargedCall(first)!.charged).toBe(chargedCall(first)!.costMicros);
        // The user's call, and the teammate's own received leg: theirs, "transferred by", not charged.
        expect(rig.serverRows("select direction, user_id, transferred_by from calls where number = ? order by id", first)).toEqual([
          { direction: "outbound", user_id: rig.serverRows<{ id: number }>("select id from users where email = ?", sales.email)[0]!.id, transferred_by: null },
          { direction: "inbound", user_id: adminId, transferred_by: "Sora Sales" },
        ]);
        const leg = rig.serverRows<{ pbx_uniqueid: string; cost_micros: number | null }>("select pbx_uniqueid, cost_micros from calls where number = ? and direction = 'inbound'", first)[0]!;
        expect(Number(leg.cost_micros ?? 0)).toBe(0);
        expect(rig.serverRows("select id from ledger_entries where pbx_uniqueid = ?", leg.pbx_uniqueid)).toEqual([]);

        // The teammate (an admin) opens the call in history: the transfer, by whom, and the coaching log.
        await showScreen(other, "history");
        const row = other.locator(`[data-testid="history-row"][data-call-id="${firstId}"]`);
        await row.waitFor({ timeout: 20_000 });
        await row.getByTestId("history-details-toggle").click();
        const line = other.getByTestId("history-transfer");
        await expect.poll(() => line.textContent(), { timeout: 10_000 }).toMatch(language === "en" ? /^Transferred to Aiko Admin \(blind\), by Sora Sales, at / : /^Aiko Admin に転送 \(すぐに転送\)、転送者: Sora Sales、/);
        await expect.poll(() => other.getByTestId("history-coaching-entry").textContent(), { timeout: 10_000 }).toMatch(/Aiko Admin/);
        await shoot(other, "history-transfer-chain", language);
      } finally {
        await teammate.context.close();
      }
    }, 120_000);
  }
});
