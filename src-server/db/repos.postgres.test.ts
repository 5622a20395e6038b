import { afterAll, beforeAll, expect, it } from "vitest";
import type { ChangesReply } from "../../src-shared/server-api/changes";
import { startPostgres, type PostgresCluster } from "../test-support/postgres";
import { describeRepositories } from "../test-support/repo-suite";
import { openMigrated, type TestDb } from "../test-support/test-db";
import { ingestCdr } from "../calls/cdr-ingest";
import { listUserCalls } from "./calls-repo";
import { openDatabase } from "./open-database";
import { ensureEndpoint } from "./pbx-endpoints-repo";
import { findUserByEmail } from "./users-repo";
import { bearer, demoCredentials, startTestServer } from "../test-support/test-server";

let cluster: PostgresCluster | undefined;
let migrated: string | undefined;

beforeAll(async () => {
  cluster = await startPostgres();
  // Migrate once and empty the tables before each test: CREATE DATABASE costs ~250 ms, TRUNCATE a few.
  migrated = await cluster.createDatabase();
  const first = await openMigrated({ kind: "postgres", url: migrated });
  await first.close();
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

async function openPostgres(): Promise<TestDb> {
  if (migrated === undefined) throw new Error("the PostgreSQL cluster did not start (see the beforeAll error)");
  const db = await openDatabase({ kind: "postgres", url: migrated });
  await db.raw("truncate companies, users, sessions, changes, sip_bans restart identity cascade");
  return { db, close: () => db.destroy() };
}

describeRepositories("PostgreSQL", openPostgres);

it("the HTTP routes run unchanged on PostgreSQL: sign in, patch the company, read it from the feed", async () => {
  const handle = await openPostgres();
  const server = await startTestServer({ db: handle.db });
  try {
    const token = await server.signIn(demoCredentials.admin);
    const patched = await server.app.inject({ method: "PATCH", url: "/api/admin/company", headers: bearer(token), payload: { timeZone: "UTC" } });
    expect(patched.statusCode).toBe(200);
    const feed = (await server.app.inject({ method: "GET", url: "/api/changes?limit=1&since=1", headers: bearer(token) })).json<ChangesReply>();
    expect(feed.changes).toEqual([expect.objectContaining({ entity: "company", data: patched.json<unknown>() })]);
    expect(typeof feed.next).toBe("number");
  } finally {
    await server.close();
    await handle.close();
  }
});

it("calls run unchanged on PostgreSQL: racing endpoint creation, authorize, and concurrent duplicate CDRs make one record", async () => {
  const handle = await openPostgres();
  const pbx = { secret: "s".repeat(32), wsUrl: "ws://127.0.0.1:8088/ws", sipDomain: "127.0.0.1", iceServers: [], ami: null, cdrStore: null };
  const server = await startTestServer({ db: handle.db, pbx });
  try {
    const sales = (await findUserByEmail(handle.db, demoCredentials.sales.email))!;
    const raced = await Promise.all(Array.from({ length: 5 }, () => ensureEndpoint(handle.db, sales, 1)));
    expect(new Set(raced.map((e) => e.endpointId)).size).toBe(1);
    const query = new URLSearchParams({ endpoint: raced[0]!.endpointId, to: "+12015550123", uniqueid: "pbx-pg.1" });
    const reply = await server.app.inject({ method: "GET", url: `/pbx/authorize?${query.toString()}`, headers: { "x-caller-pbx-secret": pbx.secret } });
    expect(reply.body).toBe("result=allow&callerid=%2B819012345678&maxSeconds=3600&record=0");
    await expect.poll(async () => (await listUserCalls(handle.db, sales.id)).length).toBe(1);
    const cdr = {
      uniqueid: "pbx-pg.1", accountcode: raced[0]!.endpointId, destination: "+12015550123", destinationContext: "from-users", destinationChannel: "PJSIP/t-1",
      disposition: "ANSWERED", billsec: 3, userfield: "authorized&dial=ANSWER&cause=16", startMs: 1_000, answerMs: 2_000, endMs: 5_000,
    };
    const fresh = { ...cdr, uniqueid: "pbx-pg.2" };
    const outcomes = await Promise.all([...Array.from({ length: 10 }, () => ingestCdr(handle.db, cdr, 9, { warn: () => {} })), ...Array.from({ length: 10 }, () => ingestCdr(handle.db, fresh, 9, { warn: () => {} }))]);
    expect(outcomes.filter((o) => o === "updated")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "created")).toHaveLength(1);
    const calls = await listUserCalls(handle.db, sales.id);
    expect(calls.map((c) => [c.pbxUniqueid, c.disposition, c.billedSeconds])).toEqual([["pbx-pg.1", "answered", 3], ["pbx-pg.2", "answered", 3]]);
    expect(await handle.db("changes").where({ entity: "call" }).count<{ n: string }[]>({ n: "*" })).toEqual([{ n: "3" }]);
  } finally {
    await server.close();
    await handle.close();
  }
});
