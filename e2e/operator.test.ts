import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { CreditsSummary } from "../src-shared/server-api/credits";
import { startHostProcess, startServerProcess, type RunningHost, type RunningProcess } from "./support/app";
import { newPage, signIn } from "./support/browser";

// The service operator in the real app: it owns the tariff (preview, then
// commit) and approves invoice purchases over a company's limit; the company
// admin, in a second desktop against the same server, sees rates read-only.
const operator = { email: "operator@demo.example", password: "demo-operator" };
const admin = { email: "admin@demo.example", password: "demo-admin" };
let dataDir: string;
let server: RunningProcess;
let operatorHost: RunningHost;
let adminHost: RunningHost;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "caller-e2e-operator-"));
  server = await startServerProcess(dataDir);
  // Each desktop is one core with one session: the operator's and the admin's run side by side.
  [operatorHost, adminHost] = await Promise.all([startHostProcess(server.url, join(dataDir, "operator")), startHostProcess(server.url, join(dataDir, "admin"))]);
}, 60_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  for (const running of [operatorHost, adminHost, server]) await running?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function openSignedIn(host: RunningHost, who: { email: string; password: string }): Promise<Page> {
  const { context, page } = await newPage("en-US");
  contexts.push(context);
  page.setDefaultTimeout(15_000);
  page.on("pageerror", (e) => console.log(`[app page error] ${e.message}`));
  await page.goto(await host.launchUrl());
  await page.getByRole("heading", { name: "Sign in to Caller" }).waitFor();
  await signIn(page, who.email, who.password);
  // The operator's pages or the company shell's account menu: either way, signed in.
  await page.locator('[data-testid="operator-home"], [data-testid="user-menu"]').first().waitFor();
  return page;
}

/** The server's own answer with a session made over HTTP, as a script of the admin's would send it. */
async function asAdmin(method: "GET" | "POST", path: string, body?: object): Promise<Response> {
  const signedIn = await fetch(`${server.url}/api/auth/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(admin) });
  const { token } = (await signedIn.json()) as { token: string };
  return fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
}

async function openAdminCredits(page: Page): Promise<void> {
  await page.getByTestId("credits-entry").click();
  await page.getByTestId("credits-admin").waitFor();
}

describe("the service operator", () => {
  let operatorPage: Page;
  let adminPage: Page;
  beforeAll(async () => {
    operatorPage = await openSignedIn(operatorHost, operator);
    adminPage = await openSignedIn(adminHost, admin);
  }, 60_000);

  it("signs in to operator pages, previews and commits a tariff change; the admin then sees the new rate read-only and cannot import", async () => {
    await operatorPage.getByTestId("operator-home").waitFor();
    expect(await operatorPage.locator(".who").textContent()).toBe("Operator: Demo Operator");
    // No phone for the operator: it belongs to no company.
    expect(await operatorPage.getByTestId("dial-number").count()).toBe(0);
    await operatorPage.getByTestId("operator-tab-tariff").click();
    await expect.poll(() => operatorPage.getByTestId("operator-rates-version").getAttribute("data-version")).toBe("1");

    // The exported file with one rate raised: US and Canada from $0.013 to $0.02 a minute.
    const download = operatorPage.waitForEvent("download");
    await operatorPage.getByTestId("operator-rates-export").click();
    const exported = await (await download).path();
    const { readFileSync } = await import("node:fs");
    const csv = readFileSync(exported, "utf8").replace(/^1,United States and Canada,other,0\.013,/m, "1,United States and Canada,other,0.02,");
    await operatorPage.getByTestId("tariff-file").setInputFiles({ name: "rates-2027.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    const preview = operatorPage.getByTestId("tariff-preview");
    await expect.poll(() => preview.getByTestId("preview-counts").textContent()).toMatch(/^\d+ rows read: 0 added, 1 changed, 0 removed, \d+ unchanged\.$/);
    expect(await preview.getByTestId("preview-changed").locator("td").allTextContents()).toEqual(["+1 United States and Canada · $0.013 · 60/60", "+1 United States and Canada · $0.02 · 60/60"]);
    // Nothing is in force before the commit.
    expect((await (await asAdmin("GET", "/api/credits/quote?number=%2B12015550123")).json()) as { ratePerMinuteMicros: number }).toMatchObject({ ratePerMinuteMicros: 13_000 });
    await preview.getByTestId("tariff-commit").click();
    await expect.poll(() => operatorPage.getByTestId("operator-notice").textContent()).toMatch(/^Imported \d+ rows as version 2: every company's calls are rated with it from now on\.$/);
    await expect.poll(() => operatorPage.getByTestId("operator-rates-version").getAttribute("data-version")).toBe("2");

    await openAdminCredits(adminPage);
    const rates = adminPage.getByTestId("rates-panel");
    await expect.poll(() => rates.getByTestId("rates-version").textContent()).toMatch(/^Tariff version 2 \(rates-2027\.csv\), in force since /);
    await rates.getByTestId("rates-search").fill("+12015550123");
    await rates.getByRole("button", { name: "Search" }).click();
    await expect.poll(() => rates.locator("tr[data-prefix='1'] [data-testid=rate-per-minute]").textContent()).toBe("$0.02");
    // Read-only: nothing on the admin's screen imports, and the server refuses the admin's session on the operator's route.
    expect(await adminPage.locator("input[type=file]").count()).toBe(0);
    const refused = await asAdmin("POST", "/api/operator/tariff/import", { fileName: "free.csv", csv: "prefix,destination,kind,rate_per_minute_usd,connection_fee_usd,increments,effective_from,effective_to\n1,Free,other,0,0,60/60,2026-01-01,\n", acceptValidRows: true });
    expect([refused.status, ((await refused.json()) as { code: string }).code]).toEqual([403, "forbidden"]);
    expect((await asAdmin("GET", "/api/credits/rates?q=1")).status).toBe(200);
    expect(((await (await asAdmin("GET", "/api/credits/quote?number=%2B12015550123")).json()) as { ratePerMinuteMicros: number }).ratePerMinuteMicros).toBe(20_000);
  });

  it("an invoice purchase above the company's limit waits; the operator approves it and the balance changes", async () => {
    await operatorPage.getByTestId("operator-tab-companies").click();
    const demo = operatorPage.locator("[data-testid=operator-company][data-company='Demo K.K.']");
    await demo.getByTestId("limit-input").fill("5");
    await demo.getByTestId("limit-save").click();
    await expect.poll(() => demo.getByTestId("company-limit").textContent()).toBe("$5.00");

    const before = CreditsSummary.parse(await (await asAdmin("GET", "/api/credits")).json());
    await adminPage.reload();
    await openAdminCredits(adminPage);
    await adminPage.getByRole("button", { name: "Buy $10.00" }).click();
    await adminPage.getByTestId("purchase-confirm").getByRole("button", { name: "Buy $10.00" }).click();
    await expect.poll(() => adminPage.getByTestId("buy-done").getAttribute("data-status")).toBe("awaiting_approval");
    expect(await adminPage.getByTestId("buy-done").textContent()).toBe("$10.00 is over your monthly invoice limit: it waits for the service operator's approval. The credit is added once approved.");
    await expect.poll(() => adminPage.getByTestId("awaiting-approval").textContent()).toMatch(/^Waiting for approval\$10\.00, asked /);
    expect(await adminPage.getByTestId("credit-purchased").textContent()).toBe(`$${(before.purchasedMicros / 1e6).toFixed(2)}`);

    await operatorPage.getByTestId("operator-tab-approvals").click();
    const request = operatorPage.locator("[data-testid=pending-request][data-company='Demo K.K.']");
    await request.getByRole("textbox").fill("known customer");
    await request.getByTestId("approve").click();
    await expect.poll(() => operatorPage.getByTestId("operator-notice").textContent()).toMatch(/^Approved: \$10\.00 added to Demo K\.K\., invoice INV-\d{4}-\d{6}\.$/);
    await expect.poll(() => operatorPage.getByTestId("pending-request").count()).toBe(0);

    const after = CreditsSummary.parse(await (await asAdmin("GET", "/api/credits")).json());
    expect(after.purchasedMicros - before.purchasedMicros).toBe(10_000_000);
    expect(after.awaitingApproval).toEqual([]);
    await adminPage.reload();
    await openAdminCredits(adminPage);
    await expect.poll(() => adminPage.getByTestId("credit-purchased").textContent()).toBe(`$${(after.purchasedMicros / 1e6).toFixed(2)}`);
    expect(await adminPage.getByTestId("awaiting-approval").count()).toBe(0);
  });
});
