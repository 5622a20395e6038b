import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreditsSummary, LedgerReply, Purchase, RateQuote, TariffImportReply, TariffVersionsReply, UsageReply, creditsPaths } from "../../src-shared/server-api/credits";
import type { ChangesReply } from "../../src-shared/server-api/changes";
import { creditsFor } from "../credits/credits-runtime";
import { addCredit, authorize, cdrOf, companyWithCredit, testPbx, type Caller } from "../credits/testing/credit-rig";
import { createUser } from "../db/users-repo";
import { inProcessWriter, type DurableWriter } from "../db/writer/durable-writer";
import { routeAccessOf } from "../http/access";
import type { MailMessage } from "../mail/mailer";
import { bearer, demoCredentials, startTestServer, type TestServer } from "../test-support/test-server";

let server: TestServer;
let writer: DurableWriter;

beforeAll(async () => {
  server = await startTestServer({ pbx: testPbx });
  writer = inProcessWriter(server.db, { log: { warn: () => {}, error: () => {} } });
});

afterAll(async () => {
  await writer.close();
  await server.close();
});

const billing = { companyName: "Trial K.K.", email: "billing@trial.example", addressLine1: "1-1 Marunouchi", city: "Tokyo", country: "JP" };

async function adminOf(caller: Caller): Promise<string> {
  return server.sessionFor({ email: caller.user.email, password: "x" });
}

const request = (token: string, method: "GET" | "POST" | "PUT", url: string, payload?: object) =>
  server.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload }) });

describe("who may use the credits routes", () => {
  it("a regular user gets 403 on every credits admin route, and may ask for a quote", async () => {
    const sales = await server.sessionFor(demoCredentials.sales);
    const routes = routeAccessOf(server.app).filter((r) => r.url.startsWith("/api/credits") && r.method !== "HEAD");
    expect(routes.filter((r) => r.access !== "admin")).toEqual([{ method: "GET", url: creditsPaths.quote, access: "user" }]);
    expect(routes.length).toBeGreaterThanOrEqual(11);
    for (const route of routes.filter((r) => r.access === "admin")) {
      const reply = await request(sales, route.method as "GET", route.url, route.method === "GET" ? undefined : {});
      expect([route.url, reply.statusCode]).toEqual([route.url, 403]);
    }
    const quote = await request(sales, "GET", `${creditsPaths.quote}?number=%2B819012345678`);
    expect(RateQuote.parse(quote.json())).toMatchObject({ destination: "Japan, mobile", kind: "mobile", ratePerMinuteMicros: 120_000, limitedBy: "company_max", maxSeconds: 3600 });
  });

  it("a user without Caller gets 403 on the quote", async () => {
    const caller = await companyWithCredit(server, 0);
    await createUser(server.db, { companyId: caller.companyId, email: "nocaller@co.example", name: "No Caller", role: "regular", locale: null, callerEnabled: false, passwordHash: "x" }, server.clock.now);
    const token = await server.sessionFor({ email: "nocaller@co.example", password: "x" });
    expect((await request(token, "GET", `${creditsPaths.quote}?number=%2B819012345678`)).statusCode).toBe(403);
  });
});

describe("buying credit", () => {
  it("a trial company cannot buy $10 of credit", async () => {
    const trial = await adminOf(await companyWithCredit(server, 0, { isTrial: true }));
    expect((await request(trial, "PUT", creditsPaths.billingDetails, billing)).statusCode).toBe(200);
    const reply = await request(trial, "POST", creditsPaths.purchases, { amountMicros: 10_000_000, idempotencyKey: "click-0001" });
    expect(reply.statusCode).toBe(403);
    expect(reply.json()).toMatchObject({ code: "forbidden", message: expect.stringContaining("$5") as string });
    expect(CreditsSummary.parse((await request(trial, "GET", creditsPaths.summary)).json())).toMatchObject({ purchasedMicros: 0, purchaseUnitsMicros: [5_000_000], isTrial: true });
  });

  it("a trial without billing details cannot buy; with them a retried purchase buys $5 once", async () => {
    const caller = await companyWithCredit(server, 0, { isTrial: true });
    const trial = await adminOf(caller);
    const refused = await request(trial, "POST", creditsPaths.purchases, { amountMicros: 5_000_000, idempotencyKey: "click-0002" });
    expect([refused.statusCode, refused.json<{ code: string }>().code]).toEqual([409, "conflict"]);
    await request(trial, "PUT", creditsPaths.billingDetails, billing);
    const replies = await Promise.all(Array.from({ length: 5 }, () => request(trial, "POST", creditsPaths.purchases, { amountMicros: 5_000_000, idempotencyKey: "click-0003" })));
    const purchases = replies.map((r) => Purchase.parse(r.json()));
    expect(new Set(purchases.map((p) => p.id)).size).toBe(1);
    expect(purchases[0]).toMatchObject({ amountMicros: 5_000_000, status: "invoiced", reference: expect.stringMatching(/^INV-2026-\d{6}$/) as string });
    expect(CreditsSummary.parse((await request(trial, "GET", creditsPaths.summary)).json())).toMatchObject({ purchasedMicros: 5_000_000, billingDetailsOnFile: true });
    expect(creditsFor(server.db).balance(caller.companyId).purchasedMicros).toBe(5_000_000);
    const stored = await server.db("credit_purchases").where({ company_id: caller.companyId }).first<{ billing_json: string } | undefined>();
    const snapshot = JSON.parse(stored?.billing_json ?? "null") as object;
    expect(snapshot).toMatchObject({ companyName: "Trial K.K.", country: "JP" });
    // Five retries, one purchase: the company's admins hear of it once through the feed.
    const feed = (await request(trial, "GET", "/api/changes?since=0&limit=500")).json<ChangesReply>();
    expect(feed.changes.filter((c) => c.entity === "credits").map((c) => c.data)).toEqual([{ kind: "purchase", purchaseId: purchases[0]!.id, amountMicros: 5_000_000 }]);
  });

  it("a plan without Caller cannot buy, and an amount that is not a unit is refused", async () => {
    const admin = await adminOf(await companyWithCredit(server, 0, { plan: "advanced" }));
    expect((await request(admin, "POST", creditsPaths.purchases, { amountMicros: 5_000_000, idempotencyKey: "click-0004" })).statusCode).toBe(403);
    const pro = await adminOf(await companyWithCredit(server, 0));
    expect((await request(pro, "POST", creditsPaths.purchases, { amountMicros: 7_000_000, idempotencyKey: "click-0005" })).statusCode).toBe(400);
    expect(Purchase.parse((await request(pro, "POST", creditsPaths.purchases, { amountMicros: 15_000_000, idempotencyKey: "click-0006" })).json()).amountMicros).toBe(15_000_000);
  });
});

describe("the ledger", () => {
  it("pages newest first, filters, and exports a CSV no spreadsheet runs as a formula", async () => {
    const caller = await companyWithCredit(server, 1_000_000);
    await server.db("users").where({ id: caller.user.id }).update({ name: "=HYPERLINK(\"http://evil\")" });
    const admin = await adminOf(caller);
    for (const key of ["click-0101", "click-0102"]) await request(admin, "POST", creditsPaths.purchases, { amountMicros: 5_000_000, idempotencyKey: key });
    const first = LedgerReply.parse((await request(admin, "GET", `${creditsPaths.ledger}?limit=2`)).json());
    expect(first.entries.map((e) => [e.kind, e.amountMicros, e.balanceAfterMicros])).toEqual([["purchase", 5_000_000, 11_000_000], ["purchase", 5_000_000, 6_000_000]]);
    const second = LedgerReply.parse((await request(admin, "GET", `${creditsPaths.ledger}?limit=2&before=${first.nextBefore}`)).json());
    expect(second).toMatchObject({ entries: [{ kind: "adjustment", amountMicros: 1_000_000 }], nextBefore: null });
    expect(LedgerReply.parse((await request(admin, "GET", `${creditsPaths.ledger}?kind=adjustment`)).json()).entries).toHaveLength(1);

    const csv = await request(admin, "GET", `${creditsPaths.ledgerCsv}?kind=purchase`);
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split("\r\n");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`,purchased,purchase,5.000000,11.000000,"'=HYPERLINK(""http://evil"")",`);
  });
});

describe("tariff import", () => {
  const header = "prefix,destination,kind,rate_per_minute_usd,connection_fee_usd,increments,effective_from,effective_to";
  const file = [header, "81,Japan,fixed,0.04,0,60/60,2026-01-01,", "8190,Japan mobile,mobile,0.10,0,1/1,2026-01-01,", "0044,Bad,fixed,0.01,0,60/60,2026-01-01,", "81,Japan again,fixed,0.05,0,60/60,2026-06-01,", "1,US,other,-1,0,60/60,2026-01-01,"].join("\n");

  it("reports every rejected row and imports nothing unless the valid rows are accepted", async () => {
    const caller = await companyWithCredit(server, 5_000_000);
    const admin = await adminOf(caller);
    const refused = TariffImportReply.parse((await request(admin, "POST", creditsPaths.tariff, { fileName: "mine.csv", csv: file, acceptValidRows: false })).json());
    expect(refused).toEqual({
      version: null,
      imported: 0,
      rejected: [
        { line: 4, code: "bad_prefix", reason: expect.any(String) as string },
        { line: 5, code: "overlapping_period", reason: expect.stringContaining("line 2") as string },
        { line: 6, code: "negative_amount", reason: expect.any(String) as string },
      ],
    });
    const before = TariffVersionsReply.parse((await request(admin, "GET", creditsPaths.tariff)).json());
    expect(before.versions.map((v) => v.source)).toEqual(["default"]);

    const accepted = TariffImportReply.parse((await request(admin, "POST", creditsPaths.tariff, { fileName: "mine.csv", csv: file, acceptValidRows: true })).json());
    expect(accepted).toMatchObject({ imported: 2, rejected: [{ line: 4 }, { line: 5 }, { line: 6 }] });
    const after = TariffVersionsReply.parse((await request(admin, "GET", creditsPaths.tariff)).json());
    expect(after).toMatchObject({ current: accepted.version, versions: [{ source: "default" }, { source: "mine.csv", rows: 2, importedBy: caller.user.name }] });
    const quote = RateQuote.parse((await request(admin, "GET", `${creditsPaths.quote}?number=%2B819012345678`)).json());
    expect(quote).toMatchObject({ destination: "Japan mobile", ratePerMinuteMicros: 100_000, increments: { first: 1, next: 1 } });
    // Another company still rates with the default.
    const sales = await server.sessionFor(demoCredentials.sales);
    expect(RateQuote.parse((await request(sales, "GET", `${creditsPaths.quote}?number=%2B819012345678`)).json()).ratePerMinuteMicros).toBe(120_000);
    expect(RateQuote.parse((await request(admin, "GET", `${creditsPaths.quote}?number=%2B12015550123`)).json())).toMatchObject({ destination: null, maxSeconds: 0, limitedBy: "no_rate" });
  });
});

describe("low balance and usage", () => {
  it("warns admins once per crossing, in the app and by email, and reports spend by day, user and destination", async () => {
    const caller = await companyWithCredit(server, 1_000_000);
    const admin = await adminOf(caller);
    const mail: MailMessage[] = [];
    creditsFor(server.db).mailer = { send: (message) => Promise.resolve(void mail.push(message)) };
    const set = await request(admin, "PUT", creditsPaths.lowBalance, { thresholdMicros: 900_000 });
    expect(CreditsSummary.parse(set.json()).lowBalanceThresholdMicros).toBe(900_000);

    const call = async (n: number, seconds: number): Promise<void> => {
      const uniqueid = `pbx-low.${n}`;
      await authorize(server, caller.endpointId, "+819012345678", uniqueid);
      await writer.run("ingestCdrs", { cdrs: [cdrOf(uniqueid, caller.endpointId, "+819012345678", seconds, server.clock.now)], now: server.clock.now });
    };
    const warnings = async () => {
      const feed = (await request(admin, "GET", "/api/changes?limit=1000")).json<ChangesReply>();
      return feed.changes.filter((c) => c.entity === "credits");
    };
    await call(1, 30); // $0.06: $0.94 left, above the threshold
    expect(await warnings()).toHaveLength(0);
    await call(2, 30); // $0.88: crosses
    await call(3, 30); // $0.82: still under, no second warning
    expect(await warnings()).toEqual([expect.objectContaining({ data: { kind: "low_balance", totalMicros: 880_000, thresholdMicros: 900_000 } })]);
    await expect.poll(() => mail.length).toBe(1);
    expect(mail[0]).toMatchObject({ to: caller.user.email, subject: expect.stringContaining("$0.88") as string });

    // Back above the threshold re-arms the warning: the next crossing is news again.
    await addCredit(server, caller.companyId, 100_000, "topup-low");
    await call(4, 30);
    expect((await warnings()).map((w) => (w.data as { totalMicros: number }).totalMicros)).toEqual([880_000, 860_000]);
    await expect.poll(() => mail.length).toBe(2);

    const usage = UsageReply.parse((await request(admin, "GET", `${creditsPaths.usage}?from=${server.clock.now - 86_400_000}&to=${server.clock.now + 86_400_000}`)).json());
    expect(usage.byDestination).toEqual([{ destination: "Japan, mobile", calls: 4, billedSeconds: 120, costMicros: 240_000 }]);
    expect(usage.byUser).toEqual([{ userId: caller.user.id, userName: caller.user.name, calls: 4, billedSeconds: 120, costMicros: 240_000 }]);
    expect(usage.byDay).toEqual([{ day: "2026-11-24", destination: "Japan, mobile", calls: 4, billedSeconds: 120, costMicros: 240_000 }]);
  });
});
