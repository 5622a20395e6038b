import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest, migrations, migrationSource } from "../db/migrate";
import { openDatabase } from "../db/open-database";
import { startPostgres, type PostgresCluster } from "../test-support/postgres";

let cluster: PostgresCluster | undefined;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "caller-outcome-keys-"));
  cluster = await startPostgres();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
});

const open: Record<"SQLite" | "PostgreSQL", () => Promise<Knex>> = {
  SQLite: () => openDatabase({ kind: "sqlite", file: join(dir, `server-${Date.now()}-${Math.random()}.sqlite`) }),
  PostgreSQL: async () => {
    if (cluster === undefined) throw new Error("the PostgreSQL cluster did not start (see the beforeAll error)");
    return openDatabase({ kind: "postgres", url: await cluster.createDatabase() });
  },
};

const outcome = (id: number, key: string | null, name: string | null, folded: string, deleted = false) => ({
  id, company_id: 1, key, name, name_folded: folded, position: id, enabled: true, created_at: 1, updated_at: 1, deleted_at: deleted ? 2 : null,
});
const call = (id: number, outcomeId: number | null, key: string | null, name: string | null) => ({
  id, company_id: 1, user_id: 1, pbx_uniqueid: `1.${id}`, number: "+81312345678", direction: "outbound", status: "ended", started_at: id, billed_seconds: 30,
  disposition: "answered", updated_at: 2, outcome_id: outcomeId, outcome_key: key, outcome_name: name, outcome_notes: `note ${id}`, outcome_at: id,
});
const outcomeColumns = (db: Knex) => db("calls").orderBy("id").select("id", "outcome_id", "outcome_key", "outcome_name", "outcome_notes");

describe.each(["SQLite", "PostgreSQL"] as const)("migration 0023_outcome_keys on %s", (kind) => {
  it("stores default outcomes by key, keeps every admin-typed name, loses no call, and migrates back", async () => {
    const db = await open[kind]();
    try {
      for (const m of migrations.slice(0, migrations.findIndex((m) => m.name === "0023_outcome_keys"))) await db.migrate.up({ migrationSource, name: m.name });
      await db("companies").insert({ id: 1, name: "Co", plan: "professional", is_trial: false, country: "JP", currency: "USD", time_zone: "UTC", created_at: 1 });
      await db("users").insert({ id: 1, company_id: 1, email: "a@co.example", name: "A", role: "regular", password_hash: "x", caller_enabled: true, created_at: 1 });
      // The default "busy" was renamed "Occupied", and a custom "Busy" took the freed name.
      await db("outcomes").insert([
        outcome(1, "left_voicemail", null, "left voicemail"),
        outcome(2, "busy", "Occupied", "occupied"),
        outcome(3, null, "Busy", "busy"),
        outcome(4, null, "Interested", "interested"),
        outcome(5, "connected", null, "connected"),
      ]);
      await db("calls").insert([
        call(11, 1, "left_voicemail", "Left voicemail"),
        call(12, null, null, "Connected"),
        call(13, 5, null, "Connected"),
        call(14, 3, null, "Busy"),
        call(15, 2, "busy", "Occupied"),
        call(16, 2, "busy", "Busy"),
        call(17, 4, null, "Interested"),
        call(18, null, null, null),
      ]);
      const before = await outcomeColumns(db);

      await migrateToLatest(db);
      const after = await outcomeColumns(db);
      expect(after.map((r: { id: number | string }) => Number(r.id))).toEqual([11, 12, 13, 14, 15, 16, 17, 18]);
      const byId = new Map(after.map((r: { id: number | string; outcome_key: string | null; outcome_name: string | null }) => [Number(r.id), [r.outcome_key, r.outcome_name]]));
      expect(Object.fromEntries(byId)).toEqual({
        11: ["left_voicemail", null],
        12: ["connected", null],
        13: ["connected", null],
        14: [null, "Busy"],
        15: ["busy", "Occupied"],
        16: ["busy", null],
        17: [null, "Interested"],
        18: [null, null],
      });
      expect(after.map((r: { outcome_notes: string }) => r.outcome_notes)).toEqual(before.map((r: { outcome_notes: string }) => r.outcome_notes));

      await db.migrate.down({ migrationSource, name: "0023_outcome_keys" });
      const back = await outcomeColumns(db);
      // Down gives every keyed default its English name back; only the legacy rows keep the key they gained.
      expect(back.map((r: { outcome_name: string | null }) => r.outcome_name)).toEqual(before.map((r: { outcome_name: string | null }) => r.outcome_name));
    } finally {
      await db.destroy();
    }
  });
});
