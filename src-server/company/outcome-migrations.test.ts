import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrateToLatest, migrations, migrationSource } from "../db/migrate";
import { openDatabase } from "../db/open-database";

describe("migrations 0010 and 0011", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "caller-migrate-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("keep existing users and calls: each call without an outcome, no outcomes until a company first needs them", async () => {
    const db = await openDatabase({ kind: "sqlite", file: join(dir, "server.sqlite") });
    try {
      const before = migrations.slice(0, migrations.findIndex((m) => m.name === "0009_invitations"));
      for (const m of before) await db.migrate.up({ migrationSource, name: m.name });
      await db("companies").insert({ id: 1, name: "Old", plan: "professional", is_trial: false, country: "JP", currency: "USD", time_zone: "UTC", created_at: 1 });
      await db("users").insert({ id: 1, company_id: 1, email: "a@old.example", name: "A", role: "regular", password_hash: "x", caller_enabled: true, created_at: 1 });
      await db("calls").insert({ id: 5, company_id: 1, user_id: 1, pbx_uniqueid: "1.1", number: "+81312345678", direction: "outbound", status: "ended", started_at: 1, billed_seconds: 30, disposition: "answered", updated_at: 2 });
      const callBefore = await db("calls").where({ id: 5 }).first<Record<string, unknown>>();

      await migrateToLatest(db);
      const callAfter = await db("calls").where({ id: 5 }).first<Record<string, unknown>>();
      expect(callAfter).toMatchObject({ ...callBefore, outcome_id: null, outcome_name: null, outcome_notes: null, outcome_request_key: null });
      expect(await db("users").select("email", "password_hash")).toEqual([{ email: "a@old.example", password_hash: "x" }]);
      expect(await db("outcomes").count({ n: "*" })).toEqual([{ n: 0 }]);
      expect(await db("invitations").count({ n: "*" })).toEqual([{ n: 0 }]);
    } finally {
      await db.destroy();
    }
  });

  it("refuse two live outcomes with one folded name, and allow it again once one is deleted", async () => {
    const db = await openDatabase({ kind: "sqlite", file: join(dir, "server.sqlite") });
    try {
      await migrateToLatest(db);
      await db("companies").insert({ id: 1, name: "Co", plan: "professional", is_trial: false, country: "JP", currency: "USD", time_zone: "UTC", created_at: 1 });
      const row = { company_id: 1, key: null, name: "Demo", name_folded: "demo", position: 0, enabled: true, created_at: 1, updated_at: 1, deleted_at: null };
      await db("outcomes").insert(row);
      await expect(db("outcomes").insert({ ...row, name: "DEMO" })).rejects.toThrow(/UNIQUE/);
      await db("outcomes").update({ deleted_at: 2 });
      await db("outcomes").insert({ ...row, name: "DEMO" });
      expect(await db("outcomes").count({ n: "*" })).toEqual([{ n: 2 }]);
    } finally {
      await db.destroy();
    }
  });
});
