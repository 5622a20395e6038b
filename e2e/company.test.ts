import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { startSmtpCapture, type SmtpCapture } from "../src-server/mail/testing/smtp-capture";
import { registerAs } from "../src-server/pbx/testing/sip-register";
import { newPage, openAppAs, sharedBrowser } from "./support/browser";
import { startCallRig, type CallRig } from "./support/call-app";
import { FarEnd } from "./support/far-end";
import { readRows } from "./support/sqlite-read";

// Company settings through the real app: an invitation by email (a real SMTP
// capture), accepting it on the server's page, revoking Caller against the real
// PBX, and call outcomes from the admin window to the end-of-call picker.
const invitee = { email: "newbie@demo.example", password: "newbie-password", name: "Nina Newbie" };
let rig: CallRig;
let smtp: SmtpCapture;
let farEnd: FarEnd;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  smtp = await startSmtpCapture();
  // The server process reads it at start (src-server/mail/smtp-config.ts).
  process.env.CALLER_SMTP_URL = `smtp://127.0.0.1:${smtp.port}?from=caller%40demo.example`;
  try {
    rig = await startCallRig("company");
  } finally {
    delete process.env.CALLER_SMTP_URL;
  }
  farEnd = await FarEnd.start(await sharedBrowser(), { wsUrl: rig.pbx.facts.wsUrl, uri: "sip:far-end@127.0.0.1", password: rig.farEndPassword });
}, 120_000);

afterAll(async () => {
  try {
    for (const context of contexts) await context.close().catch(() => undefined);
    await farEnd?.stop();
    await smtp?.close();
  } finally {
    await rig?.stop();
  }
});

const openApp = (email: string, password: string, name: string): Promise<Page> => openAppAs(rig.host, contexts, { email, password, name });

const openAdmin = () => openApp("admin@demo.example", "demo-admin", "Aiko Admin");
const openSales = () => openApp("sales@demo.example", "demo-sales", "Sora Sales");

async function adminTab(page: Page, tab: "users" | "outcomes"): Promise<void> {
  await page.getByTestId("admin-entry").click();
  await page.getByTestId(`admin-tab-${tab}`).click();
}

const serverRows = <T>(sql: string, ...params: unknown[]): T[] => readRows<T>(join(rig.dataDir, "server.sqlite"), sql, ...params);
/** The Node host's local store: what the app shows offline. */
const desktopRows = <T>(sql: string, ...params: unknown[]): T[] => readRows<T>(join(rig.dataDir, "desktop", "caller.sqlite"), sql, ...params);

const statusOf = (page: Page, email: string) => page.locator(`[data-testid=company-user][data-email="${email}"]`).getAttribute("data-status");
const registration = (page: Page) => page.getByTestId("registration").getAttribute("data-status");

describe("users and invitations", () => {
  it("the admin invites by email; the link sets a password; the user signs in and shows Not connected; revoke stops their phone", async () => {
    const admin = await openAdmin();
    await adminTab(admin, "users");
    await admin.getByTestId("invite-email").fill(invitee.email);
    // The demo company is in Japan: English is the invitee's own choice here.
    await admin.getByTestId("invite-language").selectOption("en");
    await admin.getByRole("button", { name: "Send invitation" }).click();
    await expect.poll(() => admin.getByTestId("invite-result").textContent()).toContain(`Invitation sent to ${invitee.email}`);
    await expect.poll(() => statusOf(admin, invitee.email)).toBe("not_connected");
    const row = admin.locator(`[data-testid=company-user][data-email="${invitee.email}"]`);
    await expect.poll(() => row.getByTestId("invitation-status").getAttribute("data-delivery")).toBe("emailed");
    expect(await row.getByTestId("invitation-status").textContent()).toContain("Invitation emailed");
    const first = await smtp.waitFor((m) => m.to.includes(invitee.email), 10_000);
    expect(first.subject).toBe("Demo K.K.: you're invited to Caller");

    // Send again: a second email with a new link, and the admin is told so.
    await row.getByTestId("invite-resend").click();
    // The toast and its screen-reader announcement say the same words.
    await admin.getByText(`Invitation emailed again to ${invitee.email}`).first().waitFor();
    await expect.poll(() => smtp.messages.filter((m) => m.to.includes(invitee.email)).length, { timeout: 10_000 }).toBe(2);
    const mail = smtp.messages.filter((m) => m.to.includes(invitee.email))[1]!;
    const link = /http:\/\/\S+\/invite\/[A-Za-z0-9_-]{43}/.exec(mail.text)?.[0];
    expect(link).toBeDefined();
    expect(link).not.toBe(/http:\/\/\S+\/invite\/[A-Za-z0-9_-]{43}/.exec(first.text)?.[0]);
    const { context, page: invite } = await newPage("en-US");
    try {
      await invite.goto(link!);
      await expect.poll(() => invite.getByTestId("invite-email").textContent()).toBe(invitee.email);
      await invite.getByLabel("Name").fill(invitee.name);
      await invite.getByLabel(/Password/).fill(invitee.password);
      await invite.getByRole("button", { name: "Accept invitation" }).click();
      await invite.getByTestId("invite-accepted").waitFor();
      // Single use: the same link now only explains itself.
      await invite.goto(link!);
      await invite.getByTestId("invite-error").waitFor();
    } finally {
      await context.close();
    }

    const user = await openApp(invitee.email, invitee.password, invitee.name);
    await expect.poll(() => registration(user), { timeout: 15_000 }).toBe("registered");
    const [endpoint] = serverRows<{ endpoint_id: string; sip_password: string }>(
      "select endpoint_id, sip_password from pbx_endpoints e join users u on u.id = e.user_id where u.email = ? and e.revoked_at is null",
      invitee.email,
    );
    expect(endpoint).toBeDefined();
    expect((await registerAs({ port: rig.pbx.facts.sipUdpPort, user: endpoint!.endpoint_id, password: endpoint!.sip_password, expires: 0 })).status).toBe(200);

    const adminAgain = await openAdmin();
    await adminTab(adminAgain, "users");
    await expect.poll(() => statusOf(adminAgain, invitee.email)).toBe("not_connected");
    await adminAgain.locator(`[data-testid=company-user][data-email="${invitee.email}"] [data-testid=revoke-caller]`).click();
    await adminAgain.getByTestId("confirm-accept").click();
    await expect.poll(() => statusOf(adminAgain, invitee.email)).toBe("add");

    const afterRevoke = await registerAs({ port: rig.pbx.facts.sipUdpPort, user: endpoint!.endpoint_id, password: endpoint!.sip_password, expires: 0 }).catch(() => ({ status: 0 }));
    expect(afterRevoke.status).not.toBe(200);
    const revokedUser = await openApp(invitee.email, invitee.password, invitee.name);
    await revokedUser.getByTestId("user-menu").waitFor();
    await expect.poll(async () => (await revokedUser.getByTestId("registration").count()) === 0 || (await registration(revokedUser)) !== "registered", { timeout: 10_000 }).toBe(true);
  });
});

describe("call outcomes", () => {
  async function callAndHangUp(page: Page): Promise<void> {
    await farEnd.setAction({ kind: "answer", afterMs: 0 });
    await expect.poll(() => registration(page), { timeout: 15_000 }).toBe("registered");
    await page.getByTestId("dial-number").fill("+12015550123");
    await page.getByRole("button", { name: "Call", exact: true }).click();
    await expect.poll(() => page.getByTestId("call-screen").getAttribute("data-status"), { timeout: 15_000 }).toBe("connected");
    await page.getByRole("button", { name: "Hang up" }).click();
    await expect.poll(() => page.getByTestId("call-screen").getAttribute("data-status")).toBe("ended");
  }
  const choices = async (page: Page) => (await page.getByTestId("outcome-choice").allTextContents()).map((s) => s.trim());

  it("created, renamed and disabled in the admin window; the picker offers only enabled ones; a past call keeps its disabled outcome", async () => {
    const admin = await openAdmin();
    await adminTab(admin, "outcomes");
    await admin.getByTestId("outcome-new-name").fill("Demo booked");
    await admin.getByRole("button", { name: "Add outcome" }).click();
    const row = admin.locator('[data-testid=outcome-row][data-name="Demo booked"]');
    await row.getByRole("button", { name: "Rename" }).click();
    await row.getByLabel("Rename").fill("Meeting booked");
    await row.getByRole("button", { name: "Save" }).click();
    const booked = admin.locator('[data-testid=outcome-row][data-name="Meeting booked"]');
    await booked.waitFor();
    await admin.locator('[data-testid=outcome-row][data-name="Busy"]').getByLabel("Offered").click();
    await expect.poll(() => admin.locator('[data-testid=outcome-row][data-name="Busy"]').getAttribute("data-enabled")).toBe("false");

    const sales = await openSales();
    await callAndHangUp(sales);
    await expect.poll(() => choices(sales), { timeout: 10_000 }).toContain("Meeting booked");
    expect(await choices(sales)).not.toContain("Busy");
    await sales.getByTestId("outcome-choice").filter({ hasText: "Meeting booked" }).locator("input").check();
    await sales.getByTestId("outcome-notes").fill("Thursday 3pm");
    await sales.getByRole("button", { name: "Save outcome" }).click();
    await sales.getByTestId("outcome-saved").waitFor();
    await expect
      .poll(() => serverRows<{ outcome_name: string | null }>("select outcome_name from calls order by id desc limit 1")[0]?.outcome_name, { timeout: 10_000 })
      .toBe("Meeting booked");

    const adminAgain = await openAdmin();
    await adminTab(adminAgain, "outcomes");
    await adminAgain.locator('[data-testid=outcome-row][data-name="Meeting booked"]').getByLabel("Offered").click();
    await expect.poll(() => adminAgain.locator('[data-testid=outcome-row][data-name="Meeting booked"]').getAttribute("data-enabled")).toBe("false");

    const salesAgain = await openSales();
    await callAndHangUp(salesAgain);
    await expect.poll(() => choices(salesAgain), { timeout: 10_000 }).toContain("Connected");
    expect(await choices(salesAgain)).not.toContain("Meeting booked");
    // The first call keeps the outcome logged on it, in the app's own history copy too (the change feed brought it).
    await expect
      .poll(() => desktopRows<{ notes: string | null }>("select notes from calls where outcome = 'Meeting booked'").map((c) => c.notes), { timeout: 20_000 })
      .toEqual(["Thursday 3pm"]);
    expect(serverRows<{ n: number }>("select count(*) as n from calls where outcome_name = 'Meeting booked'")[0]?.n).toBe(1);
  });

  it("when required, a call without an outcome is asked for again after a reload until given", async () => {
    const admin = await openAdmin();
    await adminTab(admin, "outcomes");
    await admin.getByTestId("outcome-required").click();
    await expect.poll(() => admin.getByTestId("outcome-required").isChecked()).toBe(true);

    const sales = await openSales();
    await callAndHangUp(sales);
    await sales.getByTestId("call-outcome").waitFor();
    expect(await sales.getByRole("button", { name: "Skip" }).count()).toBe(0);
    await sales.getByRole("button", { name: "Done" }).click();
    await sales.getByTestId("pending-outcomes").waitFor();

    await sales.reload();
    const prompt = sales.getByTestId("pending-outcomes");
    await prompt.waitFor({ timeout: 15_000 });
    // The previous test's second call was left without an outcome too: both are asked for, oldest first.
    expect(await prompt.textContent()).toContain("2 calls waiting");
    for (let answered = 0; answered < 2; answered += 1) {
      const picker = prompt.getByTestId("call-outcome");
      await picker.waitFor();
      await picker.getByTestId("outcome-choice").filter({ hasText: "Connected" }).locator("input").check();
      await picker.getByRole("button", { name: "Save outcome" }).click();
      if (answered === 0) await expect.poll(() => prompt.textContent(), { timeout: 10_000 }).toContain("1 call waiting");
    }
    await expect.poll(() => prompt.count(), { timeout: 10_000 }).toBe(0);
    // A default outcome is stored by its key, shown in the reader's language.
    expect(serverRows<{ outcome_key: string | null }>("select outcome_key from calls order by id desc limit 1")[0]?.outcome_key).toBe("connected");
  });
});
