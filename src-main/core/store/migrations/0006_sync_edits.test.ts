import type { Knex } from "knex";
import { describe, expect, it } from "vitest";
import { searchCalls } from "../history-search";
import { storeClients } from "../open-knex";
import { useEmptyStore } from "./empty-store";
import { completedMigrations, migrateTo } from "./migrate-to";
import { migrationNames } from "./migration-source";

const previous = migrationNames[migrationNames.indexOf("0006_sync_edits") - 1]!;
const row = (id: string, notes: string | null) => ({
  id, direction: "outbound", number: "+81312345678", started_at: Number(id), answered_at: null, ended_at: null, billed_seconds: 0,
  disposition: "answered", cost_micros: null, outcome: null, notes, contact_id: null, deal_id: null, updated_seq: 1,
});

describe.each(storeClients)("migration 0006_sync_edits on %s", (client) => {
  let db: Knex;
  useEmptyStore(client, (opened) => {
    db = opened;
  });

  it("indexes the calls already stored for Japanese substrings, leaves them unchanged, and marks the mirror for a fresh pull", async () => {
    await migrateTo(db, previous);
    await db("calls").insert([row("1", "山田中央様へ見積もり"), row("2", null)]);
    await db("sync_state").update({ last_seq: 40 });
    const before = await db("calls").orderBy("id").select("id", "notes");

    await migrateTo(db, "0006_sync_edits");
    expect(await db("calls").orderBy("id").select("id", "notes")).toEqual(before);
    // The search reads today's schema: later migrations keep this index as it is.
    await migrateTo(db, migrationNames.at(-1)!);
    expect((await searchCalls(db, { query: "田中" }, { limit: 5 })).map((c) => c.id)).toEqual(["1"]);
    expect((await searchCalls(db, { query: "見積もり" }, { limit: 5 })).map((c) => c.id)).toEqual(["1"]);
    expect(await db("sync_state").first("last_seq", "audience")).toEqual({ last_seq: 40, audience: null });
  });

  it("migrates back down and up again", async () => {
    await migrateTo(db, "0006_sync_edits");
    await migrateTo(db, previous);
    expect(await db.schema.hasTable("calls_trigram")).toBe(false);
    expect(await db.schema.hasColumn("calls", "user_id")).toBe(false);
    await migrateTo(db, "0006_sync_edits");
    expect((await completedMigrations(db)).at(-1)).toBe("0006_sync_edits");
  });
});
