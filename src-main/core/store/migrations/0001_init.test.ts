import type { Knex } from "knex";
import { describe, expect, it } from "vitest";
import { storeClients } from "../open-knex";
import { useEmptyStore } from "./empty-store";
import { completedMigrations, migrateTo } from "./migrate-to";

// The pattern for every later migration (Signal's migration_NNNN_test): migrateTo(N-1), seed rows, migrateTo(N), compare.
// 0001 has no predecessor, so it migrates from empty, seeds, and checks the way back down.

const appTables = ["calls", "outbox", "session", "settings", "sync_state"];

async function tables(db: Knex): Promise<string[]> {
  const names = await db("sqlite_master").where({ type: "table" }).whereNot("name", "like", "sqlite_%").pluck("name");
  return (names as string[]).filter((n) => !n.startsWith("knex_")).sort();
}

describe.each(storeClients)("migration 0001_init on %s", (client) => {
  let db: Knex;
  useEmptyStore(client, (opened) => {
    db = opened;
  });

  it("creates the store's tables from an empty file, with sync state at seq 0", async () => {
    await migrateTo(db, null);
    expect(await tables(db)).toEqual([]);

    await migrateTo(db, "0001_init");
    expect(await tables(db)).toEqual(appTables);
    expect(await completedMigrations(db)).toEqual(["0001_init"]);
    expect(await db("sync_state").select()).toEqual([{ id: 1, last_seq: 0, last_synced_at: null, last_error: null }]);
  });

  it("allows only one session row and one sync row", async () => {
    await migrateTo(db, "0001_init");
    await expect(db("session").insert({ id: 2, caller_enabled: 0 })).rejects.toThrow(/CHECK constraint/);
    await expect(db("sync_state").insert({ id: 2, last_seq: 0 })).rejects.toThrow(/CHECK constraint/);
  });

  it("migrates back down to empty, and up again", async () => {
    await migrateTo(db, "0001_init");
    await db("settings").insert({ key: "k", value: "1" });

    await migrateTo(db, null);
    expect(await tables(db)).toEqual([]);
    expect(await completedMigrations(db)).toEqual([]);

    await migrateTo(db, "0001_init");
    expect(await tables(db)).toEqual(appTables);
    expect(await db("settings").count({ n: "*" }).first()).toEqual({ n: 0 });
  });
});
