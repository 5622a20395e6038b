import type { Knex } from "knex";
import { describe, expect, it } from "vitest";
import { searchCalls } from "../history-search";
import { storeClients } from "../open-knex";
import { useEmptyStore } from "./empty-store";
import { completedMigrations, migrateTo } from "./migrate-to";
import { migrationNames } from "./migration-source";

const previous = migrationNames[migrationNames.indexOf("0008_outcome_keys") - 1]!;
const row = (id: string, outcome: string | null) => ({
  id, direction: "outbound", number: "+81312345678", started_at: Number(id), answered_at: null, ended_at: null, billed_seconds: 0,
  disposition: "answered", cost_micros: null, outcome, notes: `note ${id}`, contact_id: null, deal_id: null, updated_seq: 1,
});
const ja = { connected: "つながった", left_voicemail: "留守電にメッセージ" };

describe.each(storeClients)("migration 0008_outcome_keys on %s", (client) => {
  let db: Knex;
  useEmptyStore(client, (opened) => {
    db = opened;
  });

  it("turns the default outcomes' English names into keys, keeps every other outcome and every call, and makes them findable in Japanese", async () => {
    await migrateTo(db, previous);
    await db("calls").insert([row("1", "Left voicemail"), row("2", "Connected"), row("3", "Interested"), row("4", null), row("5", "left voicemail")]);

    await migrateTo(db, "0008_outcome_keys");
    expect(await db("calls").orderBy("id").select("id", "outcome", "outcome_key", "notes")).toEqual([
      { id: "1", outcome: null, outcome_key: "left_voicemail", notes: "note 1" },
      { id: "2", outcome: null, outcome_key: "connected", notes: "note 2" },
      { id: "3", outcome: "Interested", outcome_key: null, notes: "note 3" },
      { id: "4", outcome: null, outcome_key: null, notes: "note 4" },
      // Not a default's name (case differs): as typed.
      { id: "5", outcome: "left voicemail", outcome_key: null, notes: "note 5" },
    ]);
    // Today's search reads today's schema: the store as it is once every later migration ran too.
    await migrateTo(db, migrationNames.at(-1)!);
    const find = async (query: string) => (await searchCalls(db, { query }, { limit: 5 }, { outcomeLabels: ja })).map((c) => c.id);
    expect(await find("つながった")).toEqual(["2"]);
    expect(await find("留守電")).toEqual(["1"]);
    expect(await find("interested")).toEqual(["3"]);
  });

  it("migrates back down, restoring the English names, and up again", async () => {
    await migrateTo(db, previous);
    await db("calls").insert([row("1", "Busy"), row("2", "Interested")]);
    await migrateTo(db, "0008_outcome_keys");
    await migrateTo(db, previous);
    expect(await db.schema.hasColumn("calls", "outcome_key")).toBe(false);
    expect(await db("calls").orderBy("id").select("id", "outcome")).toEqual([{ id: "1", outcome: "Busy" }, { id: "2", outcome: "Interested" }]);
    await migrateTo(db, "0008_outcome_keys");
    expect((await completedMigrations(db)).at(-1)).toBe("0008_outcome_keys");
  });
});
