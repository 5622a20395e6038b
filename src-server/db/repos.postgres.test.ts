import { afterAll, beforeAll, expect, it } from "vitest";
import type { ChangesReply } from "../../src-shared/server-api/changes";
import { startPostgres, type PostgresCluster } from "../test-support/postgres";
import { describeRepositories } from "../test-support/repo-suite";
import { openMigrated, type TestDb } from "../test-support/test-db";
import { openDatabase } from "./open-database";
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
  await db.raw("truncate companies, users, sessions, changes restart identity cascade");
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
