import type { Knex } from "knex";
import { describe, expect, it } from "vitest";
import { storeClients } from "../open-knex";
import { useEmptyStore } from "./empty-store";
import { migrateTo } from "./migrate-to";

const row = (id: string, number: string, notes: string | null) => ({
  id, direction: "outbound", number, started_at: Number(id), answered_at: null, ended_at: null, billed_seconds: 0,
  disposition: "answered", cost_micros: null, outcome: null, notes, contact_id: null, deal_id: null, updated_seq: 1,
});

describe.each(storeClients)("migration 0003_crm_history on %s", (client) => {
  let db: Knex;
  useEmptyStore(client, (opened) => {
    db = opened;
  });

  it("indexes the calls already stored, unchanged, for search", async () => {
    await migrateTo(db, "0002_pending_outcomes");
    await db("calls").insert([row("1", "+12015550123", "asked for pricing"), row("2", "+81312345678", null)]);
    const before = await db("calls").orderBy("id").select("id", "number", "notes");

    await migrateTo(db, "0003_crm_history");
    expect(await db("calls").orderBy("id").select("id", "number", "notes")).toEqual(before);
    // The index itself, not searchCalls: that reads columns later migrations add.
    const matching = async (q: string) => (await db.raw<{ id: string }[]>("select c.id from calls c where c.rowid in (select rowid from calls_fts where calls_fts match ?)", [q])).map((r) => r.id);
    expect(await matching('"pricing"*')).toEqual(["1"]);
    expect(await matching('"5550123"*')).toEqual(["1"]);
  });

  it("migrates back down to 0002 and up again", async () => {
    await migrateTo(db, "0003_crm_history");
    await migrateTo(db, "0002_pending_outcomes");
    expect(await db.schema.hasTable("people")).toBe(false);
    expect(await db.schema.hasColumn("calls", "search_number")).toBe(false);
    await migrateTo(db, "0003_crm_history");
    expect(await db.schema.hasTable("calls_fts")).toBe(true);
  });
});
