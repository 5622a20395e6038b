import { readdirSync, readlinkSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seedDemo, demoCredentials } from "../seed/demo";
import { openSqliteTestDb, type TestDb } from "../test-support/test-db";
import { hotFirst, hotParameter } from "./hot-reads";
import { ensureEndpoint, findEndpointCaller, findServableEndpoint } from "./pbx-endpoints-repo";
import { findUserByEmail } from "./users-repo";

let test: TestDb & { file: string };
let endpointId: string;
let userId: number;

beforeEach(async () => {
  test = await openSqliteTestDb();
  await seedDemo(test.db);
  const sales = (await findUserByEmail(test.db, demoCredentials.sales.email))!;
  userId = sales.id;
  endpointId = (await ensureEndpoint(test.db, sales, Date.now())).endpointId;
});

afterEach(async () => {
  await test.close();
});

/** This process's open descriptors on the database file itself (not its -wal or -shm). */
function openHandles(file: string): number {
  return readdirSync("/proc/self/fd").filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === file;
    } catch {
      return false;
    }
  }).length;
}

describe("hot reads (authorize's and the realtime look-up's prepared statements)", () => {
  it("read what knex reads, for the same query", async () => {
    const viaKnex: unknown = await test.db("users").where({ id: userId }).first();
    const hot = await hotFirst(test.db, "test-user", (id) => test.db("users").where({ id }), String(userId));
    expect(hot).toEqual(viaKnex);
    expect(await hotFirst(test.db, "test-user", (id) => test.db("users").where({ id }), "999999")).toBeUndefined();
  });

  it("see each commit at once, made by any connection", async () => {
    expect((await findEndpointCaller(test.db, endpointId))?.callerEnabled).toBe(true);
    await test.db("users").where({ id: userId }).update({ caller_enabled: false });
    expect((await findEndpointCaller(test.db, endpointId))?.callerEnabled).toBe(false);
    expect(await findServableEndpoint(test.db, endpointId)).toBeUndefined();
  });

  it("never see another transaction's uncommitted rows (their own connection, not knex's)", async () => {
    const trx = await test.db.transaction();
    try {
      await trx("users").where({ id: userId }).update({ caller_enabled: false });
      // knex's one SQLite connection is inside the transaction; the hot read is not.
      expect((await findEndpointCaller(test.db, endpointId))?.callerEnabled).toBe(true);
    } finally {
      await trx.rollback();
    }
    expect((await findEndpointCaller(test.db, endpointId))?.callerEnabled).toBe(true);
  });

  it("bind the value as a parameter: a quote or a wildcard in it is only text", async () => {
    const query = (name: string) => test.db("users").where({ name });
    expect(await hotFirst(test.db, "test-name", query, "' or 1=1 --")).toBeUndefined();
    expect(await hotFirst(test.db, "test-name", query, "%")).toBeUndefined();
  });

  it("refuse a query that does not take the asked-for value as its parameter", async () => {
    await expect(hotFirst(test.db, "test-constant", () => test.db("users").where({ id: userId }), hotParameter)).rejects.toThrow(/hotParameter/);
  });

  it("close their connection with the database", async () => {
    await findEndpointCaller(test.db, endpointId);
    const withHotReads = openHandles(test.file);
    // knex's connection and the hot reads' own.
    expect(withHotReads).toBe(2);
    await test.db.destroy();
    expect(openHandles(test.file)).toBe(0);
    // close() destroys again: harmless.
  });
});
