import { afterAll, beforeAll, expect, it } from "vitest";
import { ingestCdr } from "../calls/cdr-ingest";
import { ensureEndpoint } from "../db/pbx-endpoints-repo";
import { findUserByEmail } from "../db/users-repo";
import { startPostgres, type PostgresCluster } from "../test-support/postgres";
import { openMigrated, type TestDb } from "../test-support/test-db";
import { demoCredentials, startTestServer, type TestServer } from "../test-support/test-server";
import { readBalance, sumLedger } from "./ledger-repo";
import { InvoicePaymentProvider } from "./payment-provider";
import { purchaseCredit } from "./purchases";
import { authorize, cdrOf, testPbx } from "./testing/credit-rig";

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

it("on PostgreSQL, concurrent retries of a CDR in separate transactions charge the call once", async () => {
  const sales = (await findUserByEmail(handle.db, demoCredentials.sales.email))!;
  const { endpointId } = await ensureEndpoint(handle.db, sales, server.clock.now);
  expect(await authorize(server, endpointId, "+819012345678", "pbx-pg.charge")).toMatch(/^result=allow/);
  const cdr = cdrOf("pbx-pg.charge", endpointId, "+819012345678", 95, server.clock.now);
  await Promise.all(Array.from({ length: 20 }, () => ingestCdr(handle.db, cdr, server.clock.now, { warn: () => {} })));
  // 95 s on 30/6 increments at $0.12 a minute: 96 s, $0.192.
  const entries = await handle.db("ledger_entries").where({ pbx_uniqueid: "pbx-pg.charge" }).select("bucket", "amount_micros");
  expect(entries.map((e: { bucket: string; amount_micros: string }) => [e.bucket, Number(e.amount_micros)])).toEqual([["purchased", -192_000]]);
  const balance = await readBalance(handle.db, sales.companyId);
  expect(balance).toMatchObject({ purchasedMicros: 15_000_000 - 192_000 });
  expect(await sumLedger(handle.db, sales.companyId)).toEqual({ bonusMicros: balance.bonusMicros, purchasedMicros: balance.purchasedMicros });
  await expect.poll(() => server.credits.balance(sales.companyId)).toEqual({ bonusMicros: 0, purchasedMicros: 14_808_000, reservedMicros: 0 });
});

it("on PostgreSQL, a purchase retried concurrently with one key buys once", async () => {
  const admin = (await findUserByEmail(handle.db, demoCredentials.admin.email))!;
  const provider = new InvoicePaymentProvider();
  const input = { companyId: admin.companyId, userId: admin.id, amountMicros: 10_000_000, idempotencyKey: "pg-click-1", now: server.clock.now };
  const results = await Promise.all(Array.from({ length: 5 }, () => purchaseCredit(handle.db, provider, input)));
  expect(new Set(results.map((r) => r.purchase.id)).size).toBe(1);
  expect(await handle.db("ledger_entries").where({ company_id: admin.companyId, kind: "purchase" }).count<{ n: string }[]>({ n: "*" })).toEqual([{ n: "1" }]);
});
