import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreditsSummary, Purchase, RateQuote, RatesReply, creditsPaths } from "../../src-shared/server-api/credits";
import type { ChangesReply } from "../../src-shared/server-api/changes";
import {
  BlocksReply,
  CompaniesReply,
  PurchaseRequestsReply,
  TariffImportReply,
  TariffPreviewReply,
  TariffRestoreReply,
  TariffVersionsReply,
  operatorPaths,
} from "../../src-shared/server-api/operator";
import { pathWithId } from "../../src-shared/server-api/company-admin";
import { addCredit, authorize, cdrOf, companyWithCredit, testPbx, type Caller } from "../credits/testing/credit-rig";
import { inProcessWriter, type DurableWriter } from "../db/writer/durable-writer";
import { createOperatorAccount } from "../operator/operator-accounts";
import { bearer, demoCredentials, startTestServer, type TestServer } from "../test-support/test-server";

let server: TestServer;
let writer: DurableWriter;
let operator: string;

beforeAll(async () => {
  server = await startTestServer({ pbx: testPbx });
  writer = inProcessWriter(server.db, { log: { warn: () => {}, error: () => {} }, raters: server.credits.raters });
  operator = await server.signIn(demoCredentials.operator);
});

afterAll(async () => {
  await writer.close();
  await server.close();
});

type Method = "GET" | "POST" | "PUT" | "DELETE";
const call = (token: string, method: Method, url: string, payload?: object) =>
  server.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload }) });
const adminOf = (caller: Caller): Promise<string> => server.sessionFor({ email: caller.user.email, password: "x" });
const actions = (action: string) => server.db("operator_actions").where({ action }).orderBy("id").select("actor", "company_id", "details_json");

const header = "prefix,destination,kind,rate_per_minute_usd,connection_fee_usd,increments,effective_from,effective_to";

describe("the operator's tariff", () => {
  it("previews a file against the current version (added, changed, removed, rejected), commits it, and every company rates with it", async () => {
    const current = RatesReply.parse((await call(operator, "GET", operatorPaths.tariffRates)).json());
    expect(current.version).toMatchObject({ version: 1, source: "default" });
    const csv = (await call(operator, "GET", operatorPaths.tariffRatesCsv)).body;
    // The exported file, edited: Japan mobile up, prefix 7 dropped, a new range, one bad line.
    const edited = csv
      .replace(/^8190,"?Japan, mobile"?,mobile,0\.12,/m, '8190,"Japan, mobile",mobile,0.15,')
      .replace(/^7,Russia,.*\r\n/m, "")
      .concat("819099,Japan premium mobile,mobile,0.5,0,60/60,2026-01-01,\r\n", "0099,Bad,fixed,0.1,0,60/60,2026-01-01,\r\n");
    const preview = TariffPreviewReply.parse((await call(operator, "POST", operatorPaths.tariffPreview, { fileName: "rates-2027.csv", csv: edited })).json());
    expect(preview.basedOn).toBe(1);
    expect(preview.counts).toEqual({ added: 1, changed: 1, removed: 1, unchanged: current.total - 2 });
    expect(preview.changed.map((c) => [c.after.prefix, c.before.ratePerMinuteMicros, c.after.ratePerMinuteMicros])).toEqual([["8190", 120_000, 150_000]]);
    expect(preview.added.map((r) => r.prefix)).toEqual(["819099"]);
    expect(preview.removed.map((r) => r.prefix)).toEqual(["7"]);
    expect(preview.rejected).toEqual([{ line: current.total + 2, code: "bad_prefix", reason: expect.any(String) as string }]);
    // Nothing written by a preview.
    expect(TariffVersionsReply.parse((await call(operator, "GET", operatorPaths.tariffVersions)).json()).versions).toHaveLength(1);

    const refused = TariffImportReply.parse((await call(operator, "POST", operatorPaths.tariffImport, { fileName: "rates-2027.csv", csv: edited, acceptValidRows: false, basedOn: 1 })).json());
    expect(refused).toMatchObject({ version: null, imported: 0 });
    const imported = TariffImportReply.parse((await call(operator, "POST", operatorPaths.tariffImport, { fileName: "rates-2027.csv", csv: edited, acceptValidRows: true, basedOn: 1 })).json());
    expect(imported).toMatchObject({ version: 2, imported: current.total, rejected: [{ code: "bad_prefix" }] });
    expect(await actions("tariff_imported")).toEqual([{ actor: "operator@demo.example", company_id: null, details_json: expect.stringContaining('"fileName":"rates-2027.csv"') as string }]);

    // Every company, read-only: the admin's rates and the dialer's quote.
    const admin = await server.sessionFor(demoCredentials.admin);
    const seen = RatesReply.parse((await call(admin, "GET", `${creditsPaths.rates}?q=8190`)).json());
    expect(seen.version).toMatchObject({ version: 2, source: "rates-2027.csv", importedBy: "operator@demo.example" });
    // The rows a number starting 8190 is rated by, and those starting with it.
    expect(seen.rates.map((r) => [r.prefix, r.ratePerMinuteMicros])).toEqual([["81", 50_000], ["8190", 150_000], ["819099", 500_000]]);
    const sales = await server.sessionFor(demoCredentials.sales);
    expect(RateQuote.parse((await call(sales, "GET", `${creditsPaths.quote}?number=%2B819012345678`)).json()).ratePerMinuteMicros).toBe(150_000);
    const other = await server.sessionFor(demoCredentials.otherAdmin);
    expect(RatesReply.parse((await call(other, "GET", `${creditsPaths.rates}?q=8190`)).json()).version?.version).toBe(2);
  });

  it("refuses a commit whose preview was against a version no longer current", async () => {
    const file = `${header}\n1,US,other,0.02,0,60/60,2026-01-01,\n`;
    const reply = await call(operator, "POST", operatorPaths.tariffImport, { fileName: "late.csv", csv: file, acceptValidRows: false, basedOn: 1 });
    expect([reply.statusCode, reply.json<{ code: string }>().code]).toEqual([409, "conflict"]);
    expect(reply.json()).toMatchObject({ reason: "tariff_changed" });
    expect(TariffVersionsReply.parse((await call(operator, "GET", operatorPaths.tariffVersions)).json()).current).toBe(2);
  });

  it("lists versions and restores an earlier one as a new version; calls rate with it", async () => {
    const restored = TariffRestoreReply.parse((await call(operator, "POST", pathWithId(operatorPaths.tariffRestore, 1))).json());
    const versions = TariffVersionsReply.parse((await call(operator, "GET", operatorPaths.tariffVersions)).json());
    expect(versions.current).toBe(restored.version);
    expect(versions.versions.map((v) => [v.version, v.source])).toEqual([
      [1, "default"],
      [2, "rates-2027.csv"],
      [restored.version, "restore of version 1 (default)"],
    ]);
    const sales = await server.sessionFor(demoCredentials.sales);
    expect(RateQuote.parse((await call(sales, "GET", `${creditsPaths.quote}?number=%2B819012345678`)).json()).ratePerMinuteMicros).toBe(120_000);
    expect((await call(operator, "POST", pathWithId(operatorPaths.tariffRestore, 999))).statusCode).toBe(404);
    // An older version can be looked at before restoring it.
    const v2 = RatesReply.parse((await call(operator, "GET", `${operatorPaths.tariffRates}?version=2&q=8190`)).json());
    expect(v2.rates.map((r) => r.ratePerMinuteMicros)).toEqual([50_000, 150_000, 500_000]);
  });
});

describe("destination blocks", () => {
  it("refuses UK personal numbers, satellite and the listed IRSF countries by default, which a company admin cannot change", async () => {
    const caller = await companyWithCredit(server, 5_000_000);
    for (const [n, to] of ["+447012345678", "+881612345678", "+5351234567"].entries()) {
      expect(await authorize(server, caller.endpointId, to, `pbx-irsf.${n}`), to).toBe("result=deny&reason=destination_blocked");
    }
    expect(await authorize(server, caller.endpointId, "+447911123456", "pbx-irsf.ok")).toMatch(/^result=allow/);
    const admin = await adminOf(caller);
    expect((await call(admin, "POST", operatorPaths.blocks, { prefix: "+4470", companyId: caller.companyId, action: "allow" })).statusCode).toBe(403);
  });

  it("the operator unblocks a default range for one company only, blocks a range, and removes its rules again", async () => {
    const one = await companyWithCredit(server, 5_000_000);
    const two = await companyWithCredit(server, 5_000_000);
    const allowed = BlocksReply.parse((await call(operator, "POST", operatorPaths.blocks, { prefix: "+4470", companyId: one.companyId, action: "allow", note: "call centre in London" })).json());
    expect(allowed.defaults.map((d) => d.prefix)).toEqual(expect.arrayContaining(["+4470", "+870", "+881", "+882", "+883"]));
    expect(allowed.defaultsSource).toMatch(/^Integra \/ Electric Lightwave/);
    const rule = allowed.rules.find((r) => r.prefix === "+4470")!;
    expect(rule).toMatchObject({ companyId: one.companyId, companyName: expect.stringMatching(/^Co \d+$/) as string, action: "allow", note: "call centre in London", createdBy: "operator@demo.example" });
    expect(await authorize(server, one.endpointId, "+447012345678", "pbx-blk.1")).toMatch(/^result=allow/);
    expect(await authorize(server, two.endpointId, "+447012345678", "pbx-blk.2")).toBe("result=deny&reason=destination_blocked");

    const blocked = BlocksReply.parse((await call(operator, "POST", operatorPaths.blocks, { prefix: "+1201555", companyId: null, action: "block" })).json());
    expect(await authorize(server, two.endpointId, "+12015550123", "pbx-blk.3")).toBe("result=deny&reason=destination_blocked");
    for (const r of blocked.rules) expect((await call(operator, "DELETE", pathWithId(operatorPaths.block, r.id))).statusCode).toBe(200);
    expect(await authorize(server, two.endpointId, "+12015550123", "pbx-blk.4")).toMatch(/^result=allow/);
    expect(await authorize(server, one.endpointId, "+447012345678", "pbx-blk.5")).toBe("result=deny&reason=destination_blocked");
    expect((await actions("destination_rule_set")).length).toBe(2);
    expect((await actions("destination_rule_removed")).length).toBe(2);
  });

  it("refuses a malformed prefix and an unknown company, and writes nothing", async () => {
    for (const body of [{ prefix: "4470", companyId: null, action: "block" }, { prefix: "+0470", companyId: null, action: "block" }, { prefix: "+44", companyId: null, action: "maybe" }]) {
      expect((await call(operator, "POST", operatorPaths.blocks, body)).statusCode).toBe(400);
    }
    expect((await call(operator, "POST", operatorPaths.blocks, { prefix: "+44", companyId: 99_999, action: "block" })).statusCode).toBe(404);
    expect(await server.db("destination_rules")).toEqual([]);
  });
});

describe("invoice purchases over the limit", () => {
  it("post at once up to the monthly limit; above it they wait, the admin sees it, and the operator's approval adds the credit", async () => {
    const caller = await companyWithCredit(server, 0);
    const admin = await adminOf(caller);
    expect((await call(operator, "PUT", pathWithId(operatorPaths.invoiceLimit, caller.companyId), { limitMicros: 10_000_000 })).statusCode).toBe(204);

    const first = Purchase.parse((await call(admin, "POST", creditsPaths.purchases, { amountMicros: 5_000_000, idempotencyKey: "limit-0001" })).json());
    expect(first).toMatchObject({ status: "invoiced", reference: expect.stringMatching(/^INV-/) as string });
    const waiting = Purchase.parse((await call(admin, "POST", creditsPaths.purchases, { amountMicros: 10_000_000, idempotencyKey: "limit-0002" })).json());
    expect(waiting).toMatchObject({ status: "awaiting_approval", reference: "", amountMicros: 10_000_000 });
    // A retry with the same key is the same request, not a second one.
    expect(Purchase.parse((await call(admin, "POST", creditsPaths.purchases, { amountMicros: 10_000_000, idempotencyKey: "limit-0002" })).json()).id).toBe(waiting.id);
    const summary = CreditsSummary.parse((await call(admin, "GET", creditsPaths.summary)).json());
    expect(summary).toMatchObject({ purchasedMicros: 5_000_000, invoicedThisMonthMicros: 5_000_000, invoiceLimitMicros: 10_000_000, awaitingApproval: [{ id: waiting.id, amountMicros: 10_000_000 }] });
    expect((await server.credits.balance(caller.companyId)).purchasedMicros).toBe(5_000_000);
    const feed = (await call(admin, "GET", "/api/changes?since=0&limit=500")).json<ChangesReply>();
    expect(feed.changes.filter((c) => c.entity === "credits").map((c) => (c.data as { kind: string }).kind)).toEqual(["purchase", "purchase_request"]);

    const pending = PurchaseRequestsReply.parse((await call(operator, "GET", `${operatorPaths.purchaseRequests}?status=pending`)).json()).requests.filter((r) => r.companyId === caller.companyId);
    expect(pending).toEqual([expect.objectContaining({ amountMicros: 10_000_000, requestedBy: caller.user.name, status: "pending", reference: null })]);
    const approved = Purchase.parse((await call(operator, "POST", pathWithId(operatorPaths.approve, pending[0]!.id), { note: "known customer" })).json());
    expect(approved).toMatchObject({ status: "invoiced", amountMicros: 10_000_000, reference: expect.stringMatching(/^INV-/) as string });
    expect((await server.credits.balance(caller.companyId)).purchasedMicros).toBe(15_000_000);
    expect(CreditsSummary.parse((await call(admin, "GET", creditsPaths.summary)).json())).toMatchObject({ purchasedMicros: 15_000_000, awaitingApproval: [] });
    const decided = PurchaseRequestsReply.parse((await call(operator, "GET", operatorPaths.purchaseRequests)).json()).requests.find((r) => r.id === pending[0]!.id);
    expect(decided).toMatchObject({ status: "approved", decidedBy: "operator@demo.example", note: "known customer", reference: approved.reference });
    expect(await actions("purchase_approved")).toContainEqual({ actor: "operator@demo.example", company_id: caller.companyId, details_json: expect.stringContaining('"amountMicros":10000000') as string });

    // Decided once: a second approval or a decline is refused and changes nothing.
    for (const decide of [operatorPaths.approve, operatorPaths.decline]) {
      const again = await call(operator, "POST", pathWithId(decide, pending[0]!.id));
      expect([again.statusCode, again.json<{ reason?: string }>().reason]).toEqual([409, "purchase_already_decided"]);
    }
    expect((await server.credits.balance(caller.companyId)).purchasedMicros).toBe(15_000_000);
  });

  it("a declined purchase adds nothing, is logged, and the admin's retry of it stays declined", async () => {
    const caller = await companyWithCredit(server, 0);
    const admin = await adminOf(caller);
    await call(operator, "PUT", pathWithId(operatorPaths.invoiceLimit, caller.companyId), { limitMicros: 0 });
    const waiting = Purchase.parse((await call(admin, "POST", creditsPaths.purchases, { amountMicros: 5_000_000, idempotencyKey: "decline-0001" })).json());
    expect(waiting.status).toBe("awaiting_approval");
    const request = PurchaseRequestsReply.parse((await call(operator, "GET", operatorPaths.purchaseRequests)).json()).requests.find((r) => r.companyId === caller.companyId)!;
    expect((await call(operator, "POST", pathWithId(operatorPaths.decline, request.id), { note: "unpaid invoices" })).statusCode).toBe(204);
    expect(Purchase.parse((await call(admin, "POST", creditsPaths.purchases, { amountMicros: 5_000_000, idempotencyKey: "decline-0001" })).json()).status).toBe("declined");
    expect(await server.db("credit_purchases").where({ company_id: caller.companyId })).toEqual([]);
    expect(await actions("purchase_declined")).toContainEqual({ actor: "operator@demo.example", company_id: caller.companyId, details_json: expect.stringContaining("unpaid invoices") as string });
  });

  it("approving checks the purchase rules again: a company that lost Caller gets nothing", async () => {
    const caller = await companyWithCredit(server, 0);
    await call(operator, "PUT", pathWithId(operatorPaths.invoiceLimit, caller.companyId), { limitMicros: 0 });
    await call(await adminOf(caller), "POST", creditsPaths.purchases, { amountMicros: 5_000_000, idempotencyKey: "lost-0001" });
    await server.db("companies").where({ id: caller.companyId }).update({ plan: "advanced" });
    const request = PurchaseRequestsReply.parse((await call(operator, "GET", `${operatorPaths.purchaseRequests}?status=pending`)).json()).requests.find((r) => r.companyId === caller.companyId)!;
    const reply = await call(operator, "POST", pathWithId(operatorPaths.approve, request.id));
    expect([reply.statusCode, reply.json<{ message: string }>().message]).toEqual([409, expect.stringContaining("Professional and Enterprise") as string]);
    expect(reply.json()).toMatchObject({ reason: "purchase_not_approvable" });
    expect(await server.db("credit_purchases").where({ company_id: caller.companyId })).toEqual([]);
  });

  it("the service default limit applies to a company the operator set none for, and a limit can go back to it", async () => {
    const caller = await companyWithCredit(server, 0);
    const admin = await adminOf(caller);
    // Three $15 units fit under the $50 default; the fourth would not.
    for (const n of [1, 2, 3]) expect(Purchase.parse((await call(admin, "POST", creditsPaths.purchases, { amountMicros: 15_000_000, idempotencyKey: `default-000${n}` })).json()).status).toBe("invoiced");
    expect(Purchase.parse((await call(admin, "POST", creditsPaths.purchases, { amountMicros: 15_000_000, idempotencyKey: "default-0004" })).json()).status).toBe("awaiting_approval");
    await call(operator, "PUT", pathWithId(operatorPaths.invoiceLimit, caller.companyId), { limitMicros: 100_000_000 });
    expect(Purchase.parse((await call(admin, "POST", creditsPaths.purchases, { amountMicros: 5_000_000, idempotencyKey: "default-0005" })).json()).status).toBe("invoiced");
    await call(operator, "PUT", pathWithId(operatorPaths.invoiceLimit, caller.companyId), { limitMicros: null });
    const overview = CompaniesReply.parse((await call(operator, "GET", operatorPaths.companies)).json()).companies.find((c) => c.id === caller.companyId);
    expect(overview).toMatchObject({ invoiceLimitMicros: 50_000_000, invoiceLimitIsDefault: true, invoicedThisMonthMicros: 50_000_000, pendingRequests: 1 });
    expect((await call(operator, "PUT", pathWithId(operatorPaths.invoiceLimit, caller.companyId), { limitMicros: -1 })).statusCode).toBe(400);
    expect((await call(operator, "PUT", pathWithId(operatorPaths.invoiceLimit, 99_999), { limitMicros: 0 })).statusCode).toBe(404);
  });
});

describe("every company, as the operator sees it", () => {
  it("shows plan, trial, balances, this and last month's calls, minutes and spend", async () => {
    const caller = await companyWithCredit(server, 2_000_000, { isTrial: true, timeZone: "Asia/Tokyo" });
    await addCredit(server, caller.companyId, 300_000, "grant:overview", "bonus");
    const lastMonth = server.clock.now - 30 * 86_400_000;
    await authorize(server, caller.endpointId, "+12015550123", "pbx-ov.1");
    await writer.run("ingestCdrs", { cdrs: [cdrOf("pbx-ov.1", caller.endpointId, "+12015550123", 90, server.clock.now)], now: server.clock.now });
    const saved = server.clock.now;
    server.clock.now = lastMonth;
    await authorize(server, caller.endpointId, "+12015550123", "pbx-ov.2");
    server.clock.now = saved;
    await writer.run("ingestCdrs", { cdrs: [cdrOf("pbx-ov.2", caller.endpointId, "+12015550123", 30, lastMonth)], now: server.clock.now });

    const { companies, defaultInvoiceLimitMicros } = CompaniesReply.parse((await call(operator, "GET", operatorPaths.companies)).json());
    expect(defaultInvoiceLimitMicros).toBe(50_000_000);
    expect(companies.map((c) => c.name)).toEqual(expect.arrayContaining(["Demo K.K.", "Other Co."]));
    const row = companies.find((c) => c.id === caller.companyId);
    // 90 s and 30 s at $0.013 a minute on 60/60: $0.026 then $0.013, bonus first.
    expect(row).toMatchObject({
      plan: "professional",
      isTrial: true,
      bonusMicros: 300_000 - 26_000 - 13_000,
      purchasedMicros: 2_000_000,
      thisMonth: { calls: 1, billedSeconds: 90, costMicros: 26_000 },
      lastMonth: { calls: 1, billedSeconds: 30, costMicros: 13_000 },
    });
  });
});

describe("operator accounts", () => {
  it("an email is either a company user's or an operator's, never both", async () => {
    await expect(createOperatorAccount(server.db, { email: demoCredentials.sales.email, name: "Taken", password: "long-enough-password" }, server.clock.now)).rejects.toMatchObject({ code: "conflict" });
    await expect(createOperatorAccount(server.db, { email: "OPERATOR@demo.example", name: "Again", password: "long-enough-password" }, server.clock.now)).rejects.toMatchObject({ code: "conflict" });
    await expect(createOperatorAccount(server.db, { email: "new-op@demo.example", name: "Short", password: "short" }, server.clock.now)).rejects.toMatchObject({ code: "bad_request" });
    const admin = await server.sessionFor(demoCredentials.admin);
    const invite = await call(admin, "POST", "/api/admin/invitations", { email: demoCredentials.operator.email });
    expect([invite.statusCode, invite.json<{ code: string }>().code]).toEqual([409, "conflict"]);
    expect(await server.db("users").where({ email: demoCredentials.operator.email })).toEqual([]);
  });
});
