import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTariffCsv } from "../../src-shared/credits/tariff-csv";
import { CreditsSummary, LedgerReply, Purchase, RateQuote, RatesReply, UsageReply, creditsPaths } from "../../src-shared/server-api/credits";
import type { ChangesReply } from "../../src-shared/server-api/changes";
import { addCredit, authorize, cdrOf, companyWithCredit, testPbx, type Caller } from "../credits/testing/credit-rig";
import { createUser } from "../db/users-repo";
import { withCreditEffects } from "../credits/credits-writer";
import { inProcessWriter, type DurableWriter } from "../db/writer/durable-writer";
import { routeAccessOf } from "../http/access";
import type { MailMessage } from "../mail/mailer";
import { bearer, demoCredentials, startTestServer, type TestServer } from "../test-support/test-server";

let server: TestServer;
let writer: DurableWriter;
/** Low-balance mail the server sent, as its mailer received it. */
const mail: MailMessage[] = [];

beforeAll(async () => {
  server = await startTestServer({ pbx: testPbx, mailer: { send: (message) => Promise.resolve(void mail.push(message)) } });
  // Wrapped as main.ts wraps the shipped writer: a charge's low-balance mail goes after its commit.
  writer = withCreditEffects(inProcessWriter(server.db, { log: { warn: () => {}, error: () => {} }, raters: server.credits.raters }), server.credits);
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
    expect(refused.json()).toMatchObject({ reason: "billing_details_required" });
    await request(trial, "PUT", creditsPaths.billingDetails, billing);
    const replies = await Promise.all(Array.from({ length: 5 }, () => request(trial, "POST", creditsPaths.purchases, { amountMicros: 5_000_000, idempotencyKey: "click-0003" })));
    const purchases = replies.map((r) => Purchase.parse(r.json()));
    expect(new Set(purchases.map((p) => p.id)).size).toBe(1);
    expect(purchases[0]).toMatchObject({ amountMicros: 5_000_000, status: "invoiced", reference: expect.stringMatching(/^INV-2026-\d{6}$/) as string });
    expect(CreditsSummary.parse((await request(trial, "GET", creditsPaths.summary)).json())).toMatchObject({ purchasedMicros: 5_000_000, billingDetailsOnFile: true });
    expect((await server.credits.balance(caller.companyId)).purchasedMicros).toBe(5_000_000);
    const stored = await server.db("credit_purchases").where({ company_id: caller.companyId }).first<{ billing_json: string } | undefined>();
    const snapshot = JSON.parse(stored?.billing_json ?? "null") as object;
    expect(snapshot).toMatchObject({ companyName: "Trial K.K.", country: "JP" });
    // Five retries, one purchase: the company's admins hear of it once through the feed.
    const feed = (await request(trial, "GET", "/api/changes?since=0&limit=500")).json<ChangesReply>();
    expect(feed.changes.filter((c) => c.entity === "credits").map((c) => c.data)).toEqual([{ kind: "purchase", purchaseId: purchases[0]!.id, amountMicros: 5_000_000 }]);
  });

  it("only $5, $10 and $15 units are sold: any other amount is refused and buys nothing", async () => {
    const caller = await companyWithCredit(server, 0);
    const admin = await adminOf(caller);
    for (const [n, amountMicros] of [0, 1, 4_999_999, 5_000_001, 20_000_000, 30_000_000, -5_000_000].entries()) {
      const reply = await request(admin, "POST", creditsPaths.purchases, { amountMicros, idempotencyKey: `units-odd-${n}` });
      expect([amountMicros, reply.statusCode]).toEqual([amountMicros, 400]);
      // The apps word it with the units in their own money format; a negative amount fails the schema instead.
      if (amountMicros > 0) expect(reply.json(), String(amountMicros)).toMatchObject({ reason: "not_a_credit_unit", params: { smallMicros: 5_000_000, middleMicros: 10_000_000, largeMicros: 15_000_000 } });
    }
    expect(await server.db("credit_purchases").where({ company_id: caller.companyId })).toEqual([]);
    for (const amountMicros of [5_000_000, 10_000_000, 15_000_000]) {
      const bought = Purchase.parse((await request(admin, "POST", creditsPaths.purchases, { amountMicros, idempotencyKey: `units-ok-${amountMicros}` })).json());
      expect(bought).toMatchObject({ amountMicros, status: "invoiced" });
    }
    expect((await server.credits.balance(caller.companyId)).purchasedMicros).toBe(30_000_000);
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

describe("the tariff, as a company admin sees it", () => {
  const header = "prefix,destination,kind,rate_per_minute_usd,connection_fee_usd,increments,effective_from,effective_to";
  const freeCalls = { fileName: "free.csv", csv: `${header}\n1,Free calls,other,0,0,60/60,2026-01-01,\n`, acceptValidRows: true };

  it("a company admin cannot make its own calls free: no tariff route takes its file, and a 72-second call is charged at the operator's rate", async () => {
    const caller = await companyWithCredit(server, 1_000_000);
    const admin = await adminOf(caller);
    const versionsBefore = await server.db("tariff_versions").count<{ n: number }[]>({ n: "*" });
    expect((await request(admin, "POST", "/api/credits/tariff", freeCalls)).statusCode).toBe(404);
    const operatorImport = await request(admin, "POST", "/api/operator/tariff/import", freeCalls);
    expect([operatorImport.statusCode, operatorImport.json<{ code: string }>().code]).toEqual([403, "forbidden"]);
    expect(await server.db("tariff_versions").count<{ n: number }[]>({ n: "*" })).toEqual(versionsBefore);

    expect(await authorize(server, caller.endpointId, "+12015550123", "pbx-free.1")).toMatch(/^result=allow/);
    await writer.run("ingestCdrs", { cdrs: [cdrOf("pbx-free.1", caller.endpointId, "+12015550123", 72, server.clock.now)], now: server.clock.now });
    // 72 s on 60/60 increments: two minutes at the default $0.013.
    const charged = await server.db("ledger_entries").where({ pbx_uniqueid: "pbx-free.1", kind: "call_charge" }).select("amount_micros", "tariff_version");
    expect(charged).toEqual([{ amount_micros: -26_000, tariff_version: 1 }]);
    expect(CreditsSummary.parse((await request(admin, "GET", creditsPaths.summary)).json()).purchasedMicros).toBe(974_000);
  });

  it("an admin lists, searches and exports the rates in force, read-only", async () => {
    const admin = await adminOf(await companyWithCredit(server, 0));
    const all = RatesReply.parse((await request(admin, "GET", creditsPaths.rates)).json());
    expect(all.version).toMatchObject({ version: 1, source: "default" });
    expect(all.total).toBe(all.version?.rows);
    expect(all.rates).toHaveLength(100);
    const last = RatesReply.parse((await request(admin, "GET", `${creditsPaths.rates}?offset=${all.total - 1}`)).json());
    expect(last.rates).toHaveLength(1);

    const byNumber = RatesReply.parse((await request(admin, "GET", `${creditsPaths.rates}?q=${encodeURIComponent("+819012345678")}`)).json());
    expect(byNumber.rates.map((r) => [r.prefix, r.destination, r.ratePerMinuteMicros])).toEqual([
      ["81", "Japan", 50_000],
      ["8190", "Japan, mobile", 120_000],
    ]);
    const byName = RatesReply.parse((await request(admin, "GET", `${creditsPaths.rates}?q=JAPAN`)).json());
    expect(new Set(byName.rates.map((r) => r.destination))).toEqual(new Set(["Japan", "Japan, mobile"]));
    // LIKE's wildcards are searched for themselves.
    expect(RatesReply.parse((await request(admin, "GET", `${creditsPaths.rates}?q=%25`)).json()).total).toBe(0);

    const csv = await request(admin, "GET", creditsPaths.ratesCsv);
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    const parsed = parseTariffCsv(csv.body);
    expect(parsed.rejected).toEqual([]);
    expect(parsed.rows).toHaveLength(all.total);
    expect(parsed.rows.find((r) => r.prefix === "8190")).toMatchObject({ destination: "Japan, mobile", ratePerMinuteMicros: 120_000 });
  });
});

describe("Caller's plans only", () => {
  it("a company on a plan without Caller gets 403 on every credits route, reading or writing, and nothing is written", async () => {
    const credits = routeAccessOf(server.app).filter((r) => r.url.startsWith("/api/credits") && r.method !== "HEAD");
    for (const plan of ["essential", "advanced"] as const) {
      const caller = await companyWithCredit(server, 5_000_000, { plan });
      const admin = await adminOf(caller);
      const before = await server.db("ledger_entries").where({ company_id: caller.companyId }).count<{ n: number }[]>({ n: "*" });
      for (const route of credits) {
        const url = route.url === creditsPaths.quote ? `${route.url}?number=%2B819012345678` : route.url;
        const body = route.method === "POST" ? { amountMicros: 5_000_000, idempotencyKey: `plan-${plan}-0001` } : route.method === "PUT" ? billing : undefined;
        const reply = await request(admin, route.method as "GET", url, body);
        expect([plan, route.method, route.url, reply.statusCode]).toEqual([plan, route.method, route.url, 403]);
      }
      expect(await server.db("ledger_entries").where({ company_id: caller.companyId }).count<{ n: number }[]>({ n: "*" })).toEqual(before);
      expect(await server.db("billing_details").where({ company_id: caller.companyId })).toEqual([]);
      expect(await server.db("credit_settings").where({ company_id: caller.companyId })).toEqual([]);
    }
  });
});

describe("low balance and usage", () => {
  it("warns admins once per crossing, in the app and by email, and reports spend by day, user and destination", async () => {
    const caller = await companyWithCredit(server, 1_000_000);
    const admin = await adminOf(caller);
    mail.length = 0;
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
