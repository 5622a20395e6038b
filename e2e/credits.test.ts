import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { callCostMicros } from "../src-shared/credits/cost";
import { formatMoney, formatRate, minutesBalanceBuys } from "../src-shared/format";
import { CreditsSummary, RateQuote } from "../src-shared/server-api/credits";
import { newPage, sharedBrowser, signIn } from "./support/browser";
import { startCompanySide, type CompanySide } from "./support/company-side";
import { FarEnd } from "./support/far-end";

// Credits in the app: an admin buys credit, calls through the real PBX, and sees the exact rated cost taken.
const number = "+12015550123";
const admin = { email: "admin@demo.example", password: "demo-admin" };
/** The trial's per-call cap, shortened for the last test (it only limits trial companies). */
const trialCapSeconds = 8;
let side: CompanySide;
let farEnd: FarEnd;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  side = await startCompanySide("credits", { serverEnv: { CALLER_TRIAL_CAP_SECONDS: String(trialCapSeconds) } });
  farEnd = await FarEnd.start(await sharedBrowser(), side.farEnd);
});

afterAll(async () => {
  try {
    for (const context of contexts) await context.close().catch(() => undefined);
    await farEnd?.stop();
  } finally {
    await side?.stop();
  }
});

const serverUrl = () => side.serverUrl;

/** The server's own answer, as the admin: exact micro-dollars to compare the screen with. */
async function serverGet<T>(path: string, parse: (json: unknown) => T): Promise<T> {
  const signInReply = await fetch(`${serverUrl()}/api/auth/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(admin) });
  const { token } = (await signInReply.json()) as { token: string };
  const reply = await fetch(`${serverUrl()}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!reply.ok) throw new Error(`GET ${path}: ${reply.status} ${await reply.text()}`);
  return parse(await reply.json());
}
const summary = () => serverGet("/api/credits", (j) => CreditsSummary.parse(j));
const total = (s: CreditsSummary) => s.bonusMicros + s.purchasedMicros;
const money = (micros: number) => formatMoney(micros, "USD", "en");

async function openApp(): Promise<Page> {
  for (const old of contexts.splice(0)) await old.close();
  const { context, page } = await newPage("en-US");
  contexts.push(context);
  page.setDefaultTimeout(15_000);
  page.on("pageerror", (e) => console.log(`[app page error] ${e.message}`));
  await page.goto(await side.host.launchUrl());
  const signOut = page.getByTestId("user-menu");
  const email = page.getByLabel("Email");
  await expect.poll(async () => (await signOut.isVisible()) || (await email.isVisible())).toBe(true);
  if (await email.isVisible()) await signIn(page, admin.email, admin.password);
  await expect.poll(() => page.getByTestId("registration").getAttribute("data-status"), { timeout: 15_000 }).toBe("registered");
  return page;
}

/** The Credits screen, from the navigation rail. */
async function openCredits(page: Page): Promise<void> {
  await page.getByTestId("credits-entry").click();
  await expect.poll(() => page.getByTestId("credits-admin").isVisible(), { timeout: 10_000 }).toBe(true);
}

async function backToPhone(page: Page): Promise<void> {
  await page.getByTestId("nav-phone").click();
  await expect.poll(() => page.getByTestId("dial-number").isVisible()).toBe(true);
}

type AnsweredCall = { billed_seconds: number; cost_micros: number | null; pbx_uniqueid: string };
const answeredCall = async (): Promise<AnsweredCall | undefined> =>
  (await side.rows<AnsweredCall>("select billed_seconds, cost_micros, pbx_uniqueid from calls where disposition = 'answered' and number = ? order by id desc limit 1", number))[0];

describe("calling credits in the app", () => {
  it("the admin buys $10, calls through the PBX, and sees the balance drop by exactly the rated cost and the cost in history", async () => {
    const page = await openApp();
    await openCredits(page);
    const start = await summary();
    await expect.poll(() => page.getByTestId("credit-purchased").textContent()).toBe(money(start.purchasedMicros));
    await page.getByRole("button", { name: "Buy $10.00" }).click();
    // Nothing is bought until the confirmation dialog's Buy.
    await page.getByTestId("purchase-confirm").getByRole("button", { name: "Buy $10.00" }).click();
    await expect.poll(() => page.getByTestId("buy-done").textContent(), { timeout: 10_000 }).toMatch(/^Bought \$10\.00: invoice \S+/);
    await expect.poll(() => page.getByTestId("credit-purchased").textContent()).toBe(money(start.purchasedMicros + 10_000_000));
    const bought = await summary();
    expect(bought.purchasedMicros - start.purchasedMicros).toBe(10_000_000);

    await backToPhone(page);
    const quote = await serverGet(`/api/credits/quote?number=${encodeURIComponent(number)}`, (j) => RateQuote.parse(j));
    expect(quote.maxSeconds).toBeGreaterThan(0);
    await page.getByTestId("dial-number").fill(number);
    await expect.poll(() => page.getByTestId("rate-hint").textContent(), { timeout: 5_000 }).toContain(`${formatRate(quote.ratePerMinuteMicros!, "USD", "en")}/min`);
    // What the balance buys at this number's rate, apart from the company's per-call limit.
    const buys = minutesBalanceBuys(quote.availableMicros, quote.ratePerMinuteMicros!);
    expect(buys).toBeGreaterThan(0);
    expect(await page.getByTestId("rate-hint").textContent()).toContain(`the balance buys ${buys.toLocaleString("en")} minute`);

    await farEnd.setAction({ kind: "answer", afterMs: 300 });
    await page.getByRole("button", { name: "Call", exact: true }).click();
    await expect.poll(() => page.getByTestId("call-screen").getAttribute("data-status"), { timeout: 10_000 }).toBe("connected");
    await expect.poll(() => page.getByTestId("call-cost").textContent()).toMatch(/^Cost so far \$\d/);
    await page.waitForTimeout(2_500);
    await page.getByRole("button", { name: "Hang up" }).click();
    await expect.poll(() => page.getByTestId("call-status").textContent()).toBe("Call ended");

    // The cost reaches history through the change feed once the server has rated the CDR.
    const item = page.getByTestId("history-list").getByTestId("history-item").filter({ has: page.locator(`[data-e164="${number}"]`) }).first();
    await expect.poll(() => item.getByTestId("history-cost").textContent(), { timeout: 20_000 }).toMatch(/^\$\d/);
    const call = (await answeredCall())!;
    expect(call.billed_seconds).toBe(await side.billsec(call.pbx_uniqueid));
    const rated = callCostMicros(call.billed_seconds, { ratePerMinuteMicros: quote.ratePerMinuteMicros!, connectionFeeMicros: quote.connectionFeeMicros!, increments: quote.increments! });
    expect(rated).toBeGreaterThan(0);
    expect(call.cost_micros).toBe(rated);
    expect(await item.getByTestId("history-cost").textContent()).toBe(money(rated));
    const after = await summary();
    expect(total(bought) - total(after)).toBe(rated);
    expect(after.reservedMicros).toBe(0);

    await page.getByRole("button", { name: "Done" }).click();
    await openCredits(page);
    await expect.poll(() => page.getByTestId("credit-available").textContent()).toBe(money(total(after)));
    await expect.poll(() => page.getByTestId("ledger-table").locator("tr[data-kind=call_charge]").count()).toBeGreaterThan(0);
    await backToPhone(page);
  });

  it("a company at zero credit cannot call: the dialer says so and the PBX refuses the call", async () => {
    await zeroDemoCompany();
    const page = await openApp();
    await page.getByTestId("dial-number").fill(number);
    await expect.poll(() => page.getByTestId("rate-hint").textContent(), { timeout: 5_000 }).toBe("Not enough credit to call this number.");
    // The button is not what stops it: the PBX asks the server, which refuses.
    await page.getByRole("button", { name: "Call", exact: true }).click();
    await expect.poll(() => page.getByTestId("call-status").textContent(), { timeout: 15_000 }).toBe("Call failed: your company has no call credit left.");
    const [refused] = await side.rows<{ disposition: string; cost_micros: number | null }>("select disposition, cost_micros from calls order by id desc limit 1");
    expect(refused).toEqual({ disposition: "refused:no_credit", cost_micros: null });
  });

  it("a trial company's call is cut at the trial cap (configured to 8 s for the test) and the call screen warns first", async () => {
    await setUpTrialDemoCompany();
    const page = await openApp();
    await page.getByTestId("dial-number").fill(number);
    await expect.poll(() => page.getByTestId("rate-hint").textContent(), { timeout: 5_000 }).toMatch(/the balance buys [\d,]+ minute/);
    const earlier = (await answeredCall())?.pbx_uniqueid;
    await farEnd.setAction({ kind: "answer", afterMs: 300 });
    await page.getByRole("button", { name: "Call", exact: true }).click();
    await expect.poll(() => page.getByTestId("call-screen").getAttribute("data-status"), { timeout: 10_000 }).toBe("connected");
    await expect.poll(() => page.getByTestId("call-cut-warning").textContent(), { timeout: 5_000 }).toMatch(/^Trial limit: the call will be cut in \d+ s\.$/);
    // Nobody hangs up: the PBX ends the call at the cap (a BYE from its side), and the app says it was the limit.
    await expect.poll(() => page.getByTestId("call-status").textContent(), { timeout: 20_000 }).toBe("The call was cut: trial calls are limited to 8 sec.");
    // This call's record, charged: not the earlier test's.
    await expect
      .poll(async () => {
        const latest = await answeredCall();
        return latest?.pbx_uniqueid !== earlier ? (latest?.cost_micros ?? null) : null;
      }, { timeout: 20_000 })
      .not.toBeNull();
    const call = (await answeredCall())!;
    expect(call.billed_seconds).toBe(await side.billsec(call.pbx_uniqueid));
    expect(call.billed_seconds).toBeGreaterThanOrEqual(7);
    expect(call.billed_seconds).toBeLessThanOrEqual(8);
  });
});

/**
 * Takes the demo company to zero the way an operator would: an adjustment entry per bucket,
 * written to the server's database. Balances are rows there, read by every authorize.
 */
async function zeroDemoCompany(): Promise<void> {
  await side.db.transaction(async (trx) => {
    const { company_id: companyId } = (await trx<{ email: string; company_id: number }>("users").where({ email: admin.email }).first("company_id"))!;
    const balance = (await trx<{ company_id: number; bonus_micros: number; purchased_micros: number }>("credit_balances").where({ company_id: companyId }).first("bonus_micros", "purchased_micros"))!;
    const now = Date.now();
    const entry = (bucket: string, amount: number) => ({
      company_id: companyId,
      bucket,
      kind: "adjustment",
      amount_micros: -amount,
      balance_after_micros: 0,
      idempotency_key: `e2e-zero-${bucket}-${now}`,
      note: "e2e: zero credit",
      created_at: now,
    });
    await trx("ledger_entries").insert([entry("bonus", Number(balance.bonus_micros)), entry("purchased", Number(balance.purchased_micros))]);
    await trx("credit_balances").where({ company_id: companyId }).update({ bonus_micros: 0, purchased_micros: 0, version: trx.raw("version + 1") });
  });
  const zero = await summary();
  expect(total(zero)).toBe(0);
}

/** Makes the demo company a trial with $5 of credit (the servers run with the short trial cap). */
async function setUpTrialDemoCompany(): Promise<void> {
  await side.db.transaction(async (trx) => {
    const { company_id: companyId } = (await trx<{ email: string; company_id: number }>("users").where({ email: admin.email }).first("company_id"))!;
    const now = Date.now();
    await trx("companies").where({ id: companyId }).update({ is_trial: true });
    await trx("ledger_entries").insert({
      company_id: companyId,
      bucket: "purchased",
      kind: "adjustment",
      amount_micros: 5_000_000,
      balance_after_micros: 5_000_000,
      idempotency_key: `e2e-trial-${now}`,
      note: "e2e: trial credit",
      created_at: now,
    });
    await trx("credit_balances").where({ company_id: companyId }).update({ purchased_micros: trx.raw("purchased_micros + 5000000"), version: trx.raw("version + 1") });
  });
}
