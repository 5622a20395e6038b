import { afterAll, beforeAll, expect, it } from "vitest";
import { CompaniesReply, PurchaseRequestsReply, operatorPaths } from "../../src-shared/server-api/operator";
import { pathWithId } from "../../src-shared/server-api/company-admin";
import { InvoicePaymentProvider } from "../credits/payment-provider";
import { purchaseCredit } from "../credits/purchases";
import { companyWithCredit, testPbx } from "../credits/testing/credit-rig";
import { startPostgres, type PostgresCluster } from "../test-support/postgres";
import { openMigrated, type TestDb } from "../test-support/test-db";
import { bearer, demoCredentials, startTestServer, type TestServer } from "../test-support/test-server";
import { newDestinationBlocks, setDestinationRule } from "./destination-rules";

let cluster: PostgresCluster;
let handle: TestDb;
let server: TestServer;

beforeAll(async () => {
  cluster = await startPostgres();
  handle = await openMigrated({ kind: "postgres", url: await cluster.createDatabase() });
  server = await startTestServer({ db: handle.db, pbx: testPbx });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await handle?.close();
  await cluster?.stop();
});

it("on PostgreSQL, concurrent purchases with different keys never post past the company's invoice limit", async () => {
  const caller = await companyWithCredit(server, 0);
  const operator = await server.signIn(demoCredentials.operator);
  await server.app.inject({ method: "PUT", url: pathWithId(operatorPaths.invoiceLimit, caller.companyId), headers: bearer(operator), payload: { limitMicros: 10_000_000 } });
  const provider = new InvoicePaymentProvider();
  const results = await Promise.all(
    Array.from({ length: 6 }, (_, i) => purchaseCredit(handle.db, provider, { companyId: caller.companyId, userId: caller.user.id, amountMicros: 5_000_000, idempotencyKey: `pg-limit-${i}`, now: server.clock.now })),
  );
  for (const result of results) server.credits.apply(result.effects);
  expect(results.map((r) => r.purchase.status).sort()).toEqual(["awaiting_approval", "awaiting_approval", "awaiting_approval", "awaiting_approval", "invoiced", "invoiced"]);
  expect((await server.credits.balance(caller.companyId)).purchasedMicros).toBe(10_000_000);

  const requests = PurchaseRequestsReply.parse((await server.app.inject({ method: "GET", url: operatorPaths.purchaseRequests, headers: bearer(operator) })).json()).requests;
  expect(requests.filter((r) => r.companyId === caller.companyId && r.status === "pending")).toHaveLength(4);
  const overview = CompaniesReply.parse((await server.app.inject({ method: "GET", url: operatorPaths.companies, headers: bearer(operator) })).json());
  expect(overview.companies.find((c) => c.id === caller.companyId)).toMatchObject({ invoicedThisMonthMicros: 10_000_000, pendingRequests: 4, invoiceLimitIsDefault: false });
});

it("on PostgreSQL, a range has one service-wide rule: a second replaces it, and the index refuses a duplicate", async () => {
  const blocks = newDestinationBlocks();
  const change = { actor: "test", now: server.clock.now };
  await setDestinationRule(handle.db, blocks, { prefix: "+4470", companyId: null, action: "allow", note: "" }, change);
  await setDestinationRule(handle.db, blocks, { prefix: "+4470", companyId: null, action: "block", note: "again" }, change);
  expect(await handle.db("destination_rules").where({ prefix: "+4470" }).select("action", "note")).toEqual([{ action: "block", note: "again" }]);
  await expect(handle.db("destination_rules").insert({ prefix: "+4470", company_id: null, action: "allow", note: "", created_by: "x", created_at: 0 })).rejects.toThrow(/unique/i);
  expect(blocks.isBlocked(1, "+447012345678")).toBe(true);
});
