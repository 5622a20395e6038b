import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Purchase, PurchasesReply, creditsPaths } from "../../src-shared/server-api/credits";
import { companyWithCredit, type Caller } from "../credits/testing/credit-rig";
import { createUser } from "../db/users-repo";
import { pdfText } from "../test-support/pdf-text";
import { bearer, startTestServer, type TestServer } from "../test-support/test-server";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

const billingJa = { companyName: "株式会社テスト商事", email: "billing@test.example", addressLine1: "丸の内1-1-1", city: "東京都千代田区", postalCode: "100-0005", country: "JP", taxId: "T1234567890123" };
const billingEn = { companyName: "Acme Corp.", email: "ap@acme.example", addressLine1: "1 Main Street", city: "Springfield", postalCode: "12345", country: "US" };

const adminOf = (caller: Caller) => server.sessionFor({ email: caller.user.email, password: "x" });
const request = (token: string, method: "GET" | "POST" | "PUT", url: string, payload?: object) =>
  server.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload }) });
const invoiceUrl = (id: string) => creditsPaths.purchaseInvoice.replace(":id", id);

async function buy(token: string, amountMicros: number, key: string): Promise<Purchase> {
  const reply = await request(token, "POST", creditsPaths.purchases, { amountMicros, idempotencyKey: key });
  expect(reply.statusCode).toBe(200);
  return Purchase.parse(reply.json());
}

describe("invoices", () => {
  it("a Japanese company's invoice is a PDF in Japanese with the amount, invoice number and billed company", async () => {
    const caller = await companyWithCredit(server, 0, { name: "デモ株式会社", country: "JP", timeZone: "Asia/Tokyo" });
    const admin = await adminOf(caller);
    await request(admin, "PUT", creditsPaths.billingDetails, billingJa);
    const purchase = await buy(admin, 10_000_000, "invoice-ja-0001");
    // Billing details edited after the purchase do not rewrite the issued invoice.
    await request(admin, "PUT", creditsPaths.billingDetails, { ...billingJa, companyName: "別の会社" });

    const reply = await request(admin, "GET", invoiceUrl(purchase.id));
    expect(reply.statusCode).toBe(200);
    expect(reply.headers["content-type"]).toBe("application/pdf");
    expect(reply.headers["content-disposition"]).toBe(`attachment; filename="invoice-${purchase.reference}.pdf"`);
    expect(reply.rawPayload.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const { pages, title } = await pdfText(reply.rawPayload);
    const text = pages.join("\n");
    expect(pages).toHaveLength(1);
    expect(title).toBe(`請求書 ${purchase.reference}`);
    for (const expected of ["請求書", "請求書番号", purchase.reference, "$10.00", "株式会社テスト商事", "T1234567890123", "デモ株式会社", "Admin", "お支払い待ち", "通話クレジット（前払い）"]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain("別の会社");
  });

  it("an English company's invoice is in English, money with two decimals", async () => {
    const caller = await companyWithCredit(server, 0, { name: "Acme US", country: "US", timeZone: "America/New_York" });
    const admin = await adminOf(caller);
    await request(admin, "PUT", creditsPaths.billingDetails, billingEn);
    const purchase = await buy(admin, 15_000_000, "invoice-en-0001");
    const text = (await pdfText((await request(admin, "GET", invoiceUrl(purchase.id))).rawPayload)).pages.join("\n");
    for (const expected of ["Invoice", "Invoice number", purchase.reference, "Total", "$15.00", "Acme Corp.", "1 Main Street", "Acme US", "Awaiting payment"]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain("請求書");
  });

  it("another company's admin gets 404 for the invoice, a regular user of the same company 403", async () => {
    const owner = await companyWithCredit(server, 0);
    const ownerToken = await adminOf(owner);
    await request(ownerToken, "PUT", creditsPaths.billingDetails, billingEn);
    const purchase = await buy(ownerToken, 5_000_000, "invoice-own-0001");
    const stranger = await adminOf(await companyWithCredit(server, 0));
    const strangerReply = await request(stranger, "GET", invoiceUrl(purchase.id));
    expect([strangerReply.statusCode, strangerReply.json<{ code: string }>().code]).toEqual([404, "not_found"]);
    expect(strangerReply.body).not.toContain(purchase.reference);

    await createUser(server.db, { companyId: owner.companyId, email: `sales-${owner.companyId}@co.example`, name: "Sales", role: "regular", locale: null, callerEnabled: true, passwordHash: "x" }, server.clock.now);
    const sales = await server.sessionFor({ email: `sales-${owner.companyId}@co.example`, password: "x" });
    expect((await request(sales, "GET", invoiceUrl(purchase.id))).statusCode).toBe(403);
    expect((await request(sales, "GET", creditsPaths.purchases)).statusCode).toBe(403);
    expect((await request(ownerToken, "GET", invoiceUrl("999999"))).statusCode).toBe(404);
    expect((await request(ownerToken, "GET", invoiceUrl("abc"))).statusCode).toBe(400);
  });

  it("a plan without Caller gets 403 for the purchase list and invoices", async () => {
    const caller = await companyWithCredit(server, 0, { plan: "essential" });
    const admin = await adminOf(caller);
    expect((await request(admin, "GET", creditsPaths.purchases)).statusCode).toBe(403);
    expect((await request(admin, "GET", invoiceUrl("1"))).statusCode).toBe(403);
  });
});

describe("the purchase list", () => {
  it("lists the company's own purchases newest first with the invoice number and who bought", async () => {
    const caller = await companyWithCredit(server, 0);
    const admin = await adminOf(caller);
    await request(admin, "PUT", creditsPaths.billingDetails, billingEn);
    const first = await buy(admin, 5_000_000, "list-0001");
    server.clock.now += 60_000;
    const second = await buy(admin, 15_000_000, "list-0002");
    const other = await adminOf(await companyWithCredit(server, 0));
    await request(other, "PUT", creditsPaths.billingDetails, billingEn);
    await buy(other, 10_000_000, "list-0003");

    const { purchases } = PurchasesReply.parse((await request(admin, "GET", creditsPaths.purchases)).json());
    expect(purchases).toEqual([
      { id: second.id, amountMicros: 15_000_000, reference: second.reference, status: "invoiced", createdAt: second.createdAt, boughtBy: caller.user.name, billedTo: { ...billingEn, addressLine2: "", taxId: "" } },
      { id: first.id, amountMicros: 5_000_000, reference: first.reference, status: "invoiced", createdAt: first.createdAt, boughtBy: caller.user.name, billedTo: { ...billingEn, addressLine2: "", taxId: "" } },
    ]);
  });
});
