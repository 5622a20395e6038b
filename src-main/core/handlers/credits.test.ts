import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CallerError } from "../../../src-shared/errors";
// The core's credits area against the real company server over loopback HTTP (test only).
// eslint-disable-next-line no-restricted-imports -- the server under test, not code the core uses
import { startTestServer, demoCredentials, type TestServer } from "../../../src-server/test-support/test-server";
// eslint-disable-next-line no-restricted-imports -- a test reading the invoice back, not code the core uses
import { pdfText } from "../../../src-server/test-support/pdf-text";
import { createCore, type Core } from "../create-core";
import { withQuery } from "./credits";

let server: TestServer;
let dir: string;
let admin: Core;
let sales: Core;

beforeAll(async () => {
  server = await startTestServer({ listen: true });
  dir = await mkdtemp(join(tmpdir(), "caller-credits-"));
  admin = await createCore({ dataDir: join(dir, "admin"), serverUrl: server.url, shell: "node-host", version: "test" });
  sales = await createCore({ dataDir: join(dir, "sales"), serverUrl: server.url, shell: "node-host", version: "test" });
  await admin.handlers.signIn(demoCredentials.admin);
  await sales.handlers.signIn(demoCredentials.sales);
}, 30_000);

afterAll(async () => {
  await admin?.close();
  await sales?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (e: unknown) => (e instanceof CallerError ? e.code : String(e)),
  );

describe("the core's credits area against the real server", () => {
  it("buys once for a retried click: the same key twice is one purchase and one ledger entry", async () => {
    const before = await admin.handlers.getCredits({});
    const click = { amountMicros: 10_000_000, idempotencyKey: "test-click-0001" };
    const first = await admin.handlers.buyCredits(click);
    const again = await admin.handlers.buyCredits(click);
    expect(again.id).toBe(first.id);
    const after = await admin.handlers.getCredits({});
    expect(after.purchasedMicros - before.purchasedMicros).toBe(10_000_000);
    const purchases = await admin.handlers.listLedger({ kind: "purchase" });
    expect(purchases.entries.filter((e) => e.amountMicros === 10_000_000 && e.at >= first.createdAt)).toHaveLength(1);
  });

  it("lists purchases and brings a purchase's invoice PDF through the bridge as base64; a regular user is refused", async () => {
    const bought = await admin.handlers.buyCredits({ amountMicros: 5_000_000, idempotencyKey: "test-click-invoice" });
    const { purchases } = await admin.handlers.listPurchases({});
    expect(purchases[0]).toMatchObject({ id: bought.id, reference: bought.reference, amountMicros: 5_000_000, boughtBy: "Aiko Admin" });
    const { pdfBase64 } = await admin.handlers.getInvoicePdf({ purchaseId: bought.id });
    const text = (await pdfText(Buffer.from(pdfBase64, "base64"))).pages.join("\n");
    expect(text).toContain(bought.reference);
    expect(text).toContain("$5.00");
    expect(await codeOf(admin.handlers.getInvoicePdf({ purchaseId: "999999" }))).toBe("not_found");
    expect(await codeOf(sales.handlers.getInvoicePdf({ purchaseId: bought.id }))).toBe("forbidden");
    expect(await codeOf(sales.handlers.listPurchases({}))).toBe("forbidden");
  });

  it("passes the ledger filters through and exports the same rows as CSV text", async () => {
    const bought = await admin.handlers.listLedger({ kind: "purchase", bucket: "purchased", limit: 500 });
    expect(bought.entries.length).toBeGreaterThan(0);
    expect(bought.entries.every((e) => e.kind === "purchase" && e.bucket === "purchased")).toBe(true);
    expect(await admin.handlers.listLedger({ kind: "purchase", bucket: "bonus" })).toMatchObject({ entries: [] });
    const { csv } = await admin.handlers.exportLedgerCsv({ kind: "purchase", bucket: "purchased" });
    const lines = csv.trim().split(/\r?\n/);
    expect(lines.length).toBe(bought.entries.length + 1);
  });

  it("saves billing details and reads them back", async () => {
    const details = { companyName: "Demo K.K.", email: "billing@demo.example", addressLine1: "1-1 Marunouchi", addressLine2: "", city: "Tokyo", postalCode: "100-0005", country: "JP", taxId: "" };
    expect(await admin.handlers.saveBillingDetails(details)).toEqual({ ok: true });
    expect((await admin.handlers.getBillingDetails({})).details).toMatchObject(details);
    expect((await admin.handlers.getCredits({})).billingDetailsOnFile).toBe(true);
  });

  it("sets and clears the low-balance threshold", async () => {
    await admin.handlers.setLowBalance({ thresholdMicros: 2_500_000 });
    expect((await admin.handlers.getCredits({})).lowBalanceThresholdMicros).toBe(2_500_000);
    await admin.handlers.setLowBalance({ thresholdMicros: null });
    expect((await admin.handlers.getCredits({})).lowBalanceThresholdMicros).toBeNull();
  });

  it("quotes mobile and fixed Japanese numbers differently for a regular user with Caller", async () => {
    const mobile = await sales.handlers.quoteRate({ number: "+819012345678" });
    const fixed = await sales.handlers.quoteRate({ number: "+81312345678" });
    expect(mobile).toMatchObject({ number: "+819012345678", kind: "mobile" });
    expect(fixed).toMatchObject({ number: "+81312345678", kind: "fixed" });
    expect(mobile.ratePerMinuteMicros).not.toBe(fixed.ratePerMinuteMicros);
    expect(mobile.maxSeconds).toBeGreaterThan(0);
  });

  it("shows the rates read-only: a page, a search by number, and the same rates as a tariff CSV", async () => {
    const page = await admin.handlers.listRates({ limit: 10 });
    expect(page.rates).toHaveLength(10);
    expect(page.version).toMatchObject({ source: "default" });
    const found = await admin.handlers.listRates({ q: "+819012345678" });
    expect(found.rates.map((r) => r.prefix)).toEqual(["81", "8190"]);
    const { csv } = await admin.handlers.exportRatesCsv({});
    expect(csv.split("\r\n")[0]).toBe("prefix,destination,kind,rate_per_minute_usd,connection_fee_usd,increments,effective_from,effective_to");
    expect(csv.trim().split("\r\n")).toHaveLength(page.total + 1);
  });

  it("answers usage for a period", async () => {
    const usage = await admin.handlers.getUsage({ from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 11, 1) });
    expect([usage.byDay, usage.byUser, usage.byDestination].every(Array.isArray)).toBe(true);
  });

  it("refuses a regular user every admin method, whatever the UI shows", async () => {
    expect(await codeOf(sales.handlers.getCredits({}))).toBe("forbidden");
    expect(await codeOf(sales.handlers.buyCredits({ amountMicros: 5_000_000, idempotencyKey: "sales-click-1" }))).toBe("forbidden");
    expect(await codeOf(sales.handlers.exportLedgerCsv({}))).toBe("forbidden");
    expect(await codeOf(sales.handlers.listRates({}))).toBe("forbidden");
    expect(await codeOf(sales.handlers.exportRatesCsv({}))).toBe("forbidden");
  });
});

describe("the query string the core sends", () => {
  it("carries only the filters given", () => {
    expect(withQuery("/api/credits/ledger", { kind: "grant", from: 5, to: undefined })).toBe("/api/credits/ledger?kind=grant&from=5");
    expect(withQuery("/api/credits/ledger", {})).toBe("/api/credits/ledger");
    expect(withQuery("/api/credits/quote", { number: "+81312345678" })).toBe("/api/credits/quote?number=%2B81312345678");
  });
});
