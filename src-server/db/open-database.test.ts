import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import { openDatabase } from "./open-database";
import { openSqliteTestDb, type TestDb } from "../test-support/test-db";

let test: TestDb & { file: string };
let other: Knex;

beforeEach(async () => {
  test = await openSqliteTestDb();
  await test.db.schema.createTable("probe", (t) => t.integer("n"));
  // A second connection, as the writer thread has; it gives up quickly so the test does not wait 5 s.
  other = await openDatabase({ kind: "sqlite", file: test.file });
  await other.raw("pragma busy_timeout = 50");
});
afterEach(async () => {
  await other.destroy();
  await test.close();
});

describe("SQLite transactions", () => {
  it("take the write lock when they begin, so a read-then-write is never undone by another connection's commit", async () => {
    const trx = await test.db.transaction();
    await trx("probe").select();
    // With a plain BEGIN this insert would commit, and the transaction's write below would fail with SQLITE_BUSY.
    await expect(other("probe").insert({ n: 1 })).rejects.toThrow(/SQLITE_BUSY|database is locked/);
    await trx("probe").insert({ n: 2 });
    await trx.commit();
    expect(await other("probe").pluck("n")).toEqual([2]);
  });
});
