import type { Knex } from "knex";
import { describe, expect, it } from "vitest";
import { storeClients } from "../open-knex";
import { useEmptyStore } from "./empty-store";
import { completedMigrations, migrateTo } from "./migrate-to";

const call = { id: "41", direction: "outbound", number: "+81312345678", started_at: 1, answered_at: null, ended_at: 2, billed_seconds: 0, disposition: "no_answer", cost_micros: null, outcome: null, notes: null, contact_id: null, deal_id: null, updated_seq: 7 };

describe.each(storeClients)("migration 0002_pending_outcomes on %s", (client) => {
  let db: Knex;
  useEmptyStore(client, (opened) => {
    db = opened;
  });

  it("adds the pending set beside what 0001 held, and goes back down without touching it", async () => {
    await migrateTo(db, "0001_init");
    await db("calls").insert(call);
    await db("settings").insert({ key: "settings", value: "{}" });

    await migrateTo(db, "0002_pending_outcomes");
    expect(await completedMigrations(db)).toEqual(["0001_init", "0002_pending_outcomes"]);
    expect(await db("calls").select()).toEqual([call]);
    expect(await db("settings").select()).toEqual([{ key: "settings", value: "{}" }]);
    await db("pending_outcomes").insert({ client_call_id: "00000000-0000-4000-8000-000000000001", user_id: 2, number: "+81312345678", ended_at: 2 });
    expect(await db("pending_outcomes").select("notes", "idempotency_key", "attempts")).toEqual([{ notes: "", idempotency_key: null, attempts: 0 }]);

    await migrateTo(db, "0001_init");
    expect(await db.schema.hasTable("pending_outcomes")).toBe(false);
    expect(await db("calls").select()).toEqual([call]);
  });
});
