import type { Knex } from "knex";
import { describe, expect, it } from "vitest";
import { storeClients } from "../open-knex";
import { useEmptyStore } from "./empty-store";
import { migrateTo } from "./migrate-to";

describe.each(storeClients)("migration 0004_recording_cache on %s", (client) => {
  let db: Knex;
  useEmptyStore(client, (opened) => {
    db = opened;
  });

  it("adds the cache table, leaving what was stored as it was, and goes back down", async () => {
    await migrateTo(db, "0003_crm_history");
    await db("settings").insert({ key: "language", value: '"ja"' });
    await migrateTo(db, "0004_recording_cache");
    expect(await db("settings").select("key", "value")).toEqual([{ key: "language", value: '"ja"' }]);
    expect(await db.schema.hasColumn("recording_cache", "last_used_at")).toBe(true);
    await migrateTo(db, "0003_crm_history");
    expect(await db.schema.hasTable("recording_cache")).toBe(false);
  });
});
