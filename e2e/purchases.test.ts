import Database from "better-sqlite3";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatMoney } from "../src-shared/format";
import { CreditsSummary, Purchase, creditsPaths } from "../src-shared/server-api/credits";
import { pdfText } from "../src-server/test-support/pdf-text";
import { startApp, type RunningApp } from "./support/app";
import { sharedBrowser } from "./support/browser";
import { layoutProblems, openScreens, photograph, photographPdf, showScreen, type ScreenLanguage, type ScreenSize } from "./support/screens";

// Buying credit in the app through the real server and host: the confirmation
// dialog, the purchase, the invoice PDF the server makes (read back as text)
// and the purchase list; then the same screens photographed in both languages.
let app: RunningApp;
const contexts: BrowserContext[] = [];
const admin = { email: "admin@demo.example", password: "demo-admin" };
const otherAdmin = { email: "admin@other.example", password: "other-admin" };
const billing = { companyName: "デモ株式会社 経理部", email: "ap@demo.example", addressLine1: "丸の内1-2-3", city: "千代田区", postalCode: "100-0005" };

beforeAll(async () => {
  app = await startApp({ hostArgs: ["--sign-in", `${admin.email}:${admin.password}`] });
});
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await app?.stop();
});

/** The server's own answer, signed in as `who`. */
async function asUser<T>(who: { email: string; password: string }, method: "GET" | "POST", path: string, parse: (reply: Response) => Promise<T>, body?: object): Promise<T> {
  const signedIn = await fetch(`${app.serverUrl}/api/auth/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(who) });
  const { token } = (await signedIn.json()) as { token: string };
  const reply = await fetch(`${app.serverUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!reply.ok) throw new Error(`${method} ${path}: ${reply.status} ${await reply.text()}`);
  return parse(reply);
}
const money = (micros: number) => formatMoney(micros, "USD", "en");

/** A dialog's opening animation finished, so the picture shows it as a person sees it. */
async function settled(page: Page): Promise<void> {
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
}

async function openCredits(language: ScreenLanguage, size: ScreenSize): Promise<Page> {
  const { context, page } = await openScreens(await sharedBrowser(), app.host, { language, theme: "light", size, user: admin });
  contexts.push(context);
  await showScreen(page, "credits");
  await page.getByTestId("credits-admin").waitFor();
  return page;
}

describe("buying credit, with its invoice", () => {
  it("the admin confirms a $10 purchase, downloads its invoice PDF (Japanese, the company's language) and finds it in the purchase list", async () => {
    const page = await openCredits("en", { width: 1100, height: 720 });
    const form = page.getByTestId("billing-form");
    for (const [name, value] of Object.entries(billing)) await form.locator(`[name=${name}]`).fill(value);
    await form.getByRole("button").click();
    await expect.poll(() => page.getByTestId("billing-message").textContent()).toBe("Billing details saved.");

    const before = await asUser(admin, "GET", creditsPaths.summary, async (r) => CreditsSummary.parse(await r.json()));
    await page.getByTestId("buy-10").click();
    const dialog = page.getByTestId("purchase-confirm");
    await dialog.waitFor();
    expect(await dialog.getByTestId("confirm-amount").textContent()).toBe("$10.00");
    expect(await dialog.getByTestId("confirm-balance-after").textContent()).toBe(money(before.bonusMicros + before.purchasedMicros + 10_000_000));
    await expect.poll(() => dialog.getByTestId("confirm-billed-to").textContent()).toContain("デモ株式会社 経理部");
    // Nothing is bought while the dialog asks.
    expect((await asUser(admin, "GET", creditsPaths.summary, async (r) => CreditsSummary.parse(await r.json()))).purchasedMicros).toBe(before.purchasedMicros);
    await dialog.getByTestId("purchase-confirm-buy").click();
    await expect.poll(() => page.getByTestId("buy-done").textContent(), { timeout: 10_000 }).toMatch(/^Bought \$10\.00: invoice INV-\d{4}-\d{6}$/);
    const reference = /INV-\d{4}-\d{6}/.exec((await page.getByTestId("buy-done").textContent()) ?? "")?.[0] ?? "";
    expect(await dialog.count()).toBe(0);
    const after = await asUser(admin, "GET", creditsPaths.summary, async (r) => CreditsSummary.parse(await r.json()));
    expect(after.purchasedMicros - before.purchasedMicros).toBe(10_000_000);

    const row = page.getByTestId("purchase-row").filter({ hasText: reference });
    await row.waitFor();
    expect(await row.locator("td").allTextContents()).toEqual([expect.any(String), "$10.00", reference, "Aiko Admin"]);
    await row.getByTestId("purchase-invoice-link").click();
    const invoice = page.getByTestId("invoice-dialog");
    await invoice.waitFor();
    expect(await invoice.getByTestId("invoice-amount").textContent()).toBe("$10.00");
    const [download] = await Promise.all([page.waitForEvent("download"), invoice.getByTestId("invoice-download").click()]);
    expect(download.suggestedFilename()).toBe(`invoice-${reference}.pdf`);
    const pdf = readFileSync(await download.path());
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = (await pdfText(pdf)).pages.join("\n");
    for (const expected of ["請求書", reference, "$10.00", "Demo K.K.", "デモ株式会社 経理部", "Aiko Admin"]) expect(text).toContain(expected);
    await expect.poll(() => invoice.getByTestId("invoice-message").textContent()).toBe(`Saved invoice-${reference}.pdf.`);
  }, 90_000);

  it("another company's admin cannot open this company's invoice (404), and theirs is in English", async () => {
    const [mine] = (await asUser(admin, "GET", creditsPaths.purchases, async (r) => ((await r.json()) as { purchases: Purchase[] }).purchases));
    expect(mine).toBeDefined();
    const url = creditsPaths.purchaseInvoice.replace(":id", mine!.id);
    await expect(asUser(otherAdmin, "GET", url, (r) => r.arrayBuffer())).rejects.toThrow(/: 404 /);
    const theirs = await asUser(otherAdmin, "POST", creditsPaths.purchases, async (r) => Purchase.parse(await r.json()), { amountMicros: 5_000_000, idempotencyKey: "e2e-other-0001" });
    const pdf = new Uint8Array(await asUser(otherAdmin, "GET", creditsPaths.purchaseInvoice.replace(":id", theirs.id), (r) => r.arrayBuffer()));
    const text = (await pdfText(pdf)).pages.join("\n");
    for (const expected of ["Invoice", theirs.reference, "$5.00", "Other Co.", "Awaiting payment"]) expect(text).toContain(expected);
    await photographPdf(pdf, "invoice-pdf-en");
  }, 60_000);
});

/** Calls charged this month for the chart's picture, straight into the server's ledger (a fixture for the photo only). */
function chargeSomeCalls(): void {
  const db = new Database(join(app.dataDir, "server.sqlite"));
  try {
    const company = db.prepare("select id from companies where name = 'Demo K.K.'").get() as { id: number };
    const user = db.prepare("select id from users where email = ?").get(admin.email) as { id: number };
    const insert = db.prepare(
      "insert into ledger_entries (company_id, bucket, kind, amount_micros, balance_after_micros, idempotency_key, pbx_uniqueid, user_id, number, destination, billed_seconds, created_at) values (?, 'bonus', 'call_charge', ?, 0, ?, ?, ?, ?, ?, ?, ?)",
    );
    const now = Date.now();
    const destinations = [
      ["Japan, mobile", "+819012345678", 120_000],
      ["United States", "+12015550123", 20_000],
      ["Japan, fixed", "+81312345678", 60_000],
    ] as const;
    // Today and the days before it, inside this month as far as it goes (the chart shows this month first).
    const daysThisMonth = new Date().getUTCDate();
    for (let daysAgo = 0; daysAgo < Math.min(5, daysThisMonth); daysAgo += 1) {
      destinations.forEach(([destination, number, perMinute], i) => {
        const minutes = 1 + ((daysAgo * 3 + i * 2) % 7);
        const id = `screens-${daysAgo}-${i}`;
        insert.run(company.id, -perMinute * minutes, id, id, user.id, number, destination, minutes * 60, now - daysAgo * 86_400_000);
      });
    }
  } finally {
    db.close();
  }
}

describe("the credits screens on screen", () => {
  beforeAll(async () => {
    chargeSomeCalls();
    // An invoice to open, whether or not the purchase test ran first.
    await asUser(admin, "POST", creditsPaths.purchases, async (r) => Purchase.parse(await r.json()), { amountMicros: 15_000_000, idempotencyKey: "e2e-screens-0001" });
  });
  const sizes: ScreenSize[] = [
    { width: 1100, height: 720 },
    { width: 1920, height: 1080 },
  ];
  for (const language of ["en", "ja"] as const) {
    it(`credits with the usage chart, the confirmation dialog and the invoice, in ${language} at 1100×720 and 1920×1080`, async () => {
      for (const size of sizes) {
        const page = await openCredits(language, size);
        const options = { language, theme: "light" as const, size };
        await photograph(page, "credits", options);
        expect(await layoutProblems(page), `credits ${language} ${size.width}`).toEqual([]);

        await page.getByTestId("usage-chart").waitFor();
        await page.getByTestId("usage-chart").scrollIntoViewIfNeeded();
        const bar = page.locator(".recharts-bar-rectangle").first();
        await bar.hover();
        await page.getByTestId("usage-tooltip").waitFor();
        await settled(page);
        await photograph(page, "credits-usage-chart", options);

        await page.getByTestId("buy-5").click();
        await page.getByTestId("purchase-confirm").waitFor();
        await settled(page);
        await photograph(page, "credits-confirm", options);
        expect(await layoutProblems(page), `confirm ${language} ${size.width}`).toEqual([]);
        await page.keyboard.press("Escape");
        await page.getByTestId("purchase-confirm").waitFor({ state: "detached" });

        await page.getByTestId("purchase-invoice-link").first().click();
        await page.getByTestId("invoice-dialog").waitFor();
        await settled(page);
        await photograph(page, "credits-invoice", options);
        expect(await layoutProblems(page), `invoice ${language} ${size.width}`).toEqual([]);
        await page.keyboard.press("Escape");
      }
      if (language === "ja") {
        const [latest] = await asUser(admin, "GET", creditsPaths.purchases, async (r) => ((await r.json()) as { purchases: Purchase[] }).purchases);
        const pdf = new Uint8Array(await asUser(admin, "GET", creditsPaths.purchaseInvoice.replace(":id", latest!.id), (r) => r.arrayBuffer()));
        await photographPdf(pdf, "invoice-pdf-ja");
      }
    }, 180_000);
  }
});
