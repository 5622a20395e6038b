import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrateToLatest, migrationSource, migrations } from "./migrate";
import { listTariffVersions } from "../credits/tariff-repo";
import { openDatabase } from "./open-database";

describe("SQLite migrations", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "caller-migrate-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("run on a fresh file in a new directory, then do nothing on the next start", async () => {
    const file = join(dir, "nested", "server.sqlite");
    const db = await openDatabase({ kind: "sqlite", file });
    expect(await migrateToLatest(db)).toEqual(migrations.map((m) => m.name));
    const tables = await db("sqlite_master").where({ type: "table" }).pluck("name");
    expect(tables).toEqual(expect.arrayContaining(["companies", "users", "sessions", "changes"]));
    await db.destroy();

    const reopened = await openDatabase({ kind: "sqlite", file });
    expect(await migrateToLatest(reopened)).toEqual([]);
    expect(await reopened("knex_migrations").count<{ n: number }[]>({ n: "*" })).toEqual([{ n: migrations.length }]);
    await reopened.destroy();
  });

  it("are numbered in order with unique names", () => {
    const names = migrations.map((m) => m.name);
    expect(names).toEqual([...names].sort());
    expect(names.every((name) => /^\d{4}_[a-z0-9_]+$/.test(name))).toBe(true);
    // Numbers rise strictly; one may be missing while the branch it was handed to has not landed yet.
    const numbers = names.map((name) => Number(name.slice(0, 4)));
    expect(numbers[0]).toBe(1);
    expect(numbers.every((n, i) => i === 0 || n > numbers[i - 1]!)).toBe(true);
  });

  it("open the file in WAL mode with foreign keys enforced", async () => {
    const db = await openDatabase({ kind: "sqlite", file: join(dir, "server.sqlite") });
    await migrateToLatest(db);
    const pragma = async (name: string): Promise<unknown> => Object.values((await db.raw<Record<string, unknown>[]>(`pragma ${name}`))[0] ?? {})[0];
    expect(await pragma("journal_mode")).toBe("wal");
    expect(await pragma("foreign_keys")).toBe(1);
    expect(await pragma("busy_timeout")).toBe(5000);
    await expect(
      db("users").insert({ company_id: 999, email: "a@b.example", name: "A", role: "regular", password_hash: "x", caller_enabled: false, created_at: 0 }),
    ).rejects.toThrow(/FOREIGN KEY/);
    await db.destroy();
  });

  it("0004 keeps existing companies and users: every user without a verified number, every company at 3600 s a call", async () => {
    const db = await openDatabase({ kind: "sqlite", file: join(dir, "server.sqlite") });
    await db.migrate.up({ migrationSource, name: "0001_companies_users" });
    await db.migrate.up({ migrationSource, name: "0002_sessions" });
    await db.migrate.up({ migrationSource, name: "0003_changes" });
    await db("companies").insert({ id: 1, name: "Old", plan: "professional", is_trial: false, country: "JP", currency: "USD", time_zone: "UTC", created_at: 1 });
    await db("users").insert({ id: 1, company_id: 1, email: "a@old.example", name: "A", role: "admin", password_hash: "x", caller_enabled: true, created_at: 1 });
    expect(await migrateToLatest(db)).toEqual(migrations.slice(3).map((m) => m.name));
    expect(await db("companies").select("name", "max_call_seconds")).toEqual([{ name: "Old", max_call_seconds: 3600 }]);
    expect(await db("users").select("email", "verified_number")).toEqual([{ email: "a@old.example", verified_number: null }]);
    await db.destroy();
  });

  it("0016 keeps credit settings (no invoice limit: the default) and leaves a company's own tariff import out of rating", async () => {
    const db = await openDatabase({ kind: "sqlite", file: join(dir, "server.sqlite") });
    for (const { name } of migrations.slice(0, 15)) await db.migrate.up({ migrationSource, name });
    await db("companies").insert({ id: 1, name: "Old", plan: "professional", is_trial: false, country: "JP", currency: "USD", time_zone: "UTC", created_at: 1 });
    await db("credit_settings").insert({ company_id: 1, low_balance_threshold_micros: 2_000_000, low_balance_warned_at: null });
    await db("tariff_versions").insert([
      { id: 1, company_id: null, source: "default", row_count: 0, imported_by: null, imported_at: 1 },
      // What an admin could import before the operator owned the tariff: a 0 rate for prefix 1.
      { id: 2, company_id: 1, source: "free.csv", row_count: 1, imported_by: "Old admin", imported_at: 2 },
    ]);
    expect(await migrateToLatest(db)).toEqual(migrations.slice(15).map((m) => m.name));
    expect(await db("credit_settings").select("company_id", "low_balance_threshold_micros", "invoice_limit_micros")).toEqual([{ company_id: 1, low_balance_threshold_micros: 2_000_000, invoice_limit_micros: null }]);
    expect((await listTariffVersions(db)).map((v) => v.id)).toEqual([1]);
    expect(await db("tariff_versions").count<{ n: number }[]>({ n: "*" })).toEqual([{ n: 2 }]);
    await db.destroy();
  });

  it("0024 gives the English notes earlier versions wrote a code the apps translate, and leaves other notes alone", async () => {
    const db = await openDatabase({ kind: "sqlite", file: join(dir, "server.sqlite") });
    const before = migrations.findIndex((m) => m.name === "0024_words");
    for (const { name } of migrations.slice(0, before)) await db.migrate.up({ migrationSource, name });
    await db("companies").insert({ id: 1, name: "Old", plan: "professional", is_trial: false, country: "JP", currency: "USD", time_zone: "UTC", created_at: 1 });
    const entry = (id: number, kind: string, note: string | null) => ({ id, company_id: 1, bucket: "bonus", kind, amount_micros: 1, balance_after_micros: 1, idempotency_key: `k${id}`, note, created_at: id });
    await db("ledger_entries").insert([
      entry(1, "grant", "2 Caller users"),
      entry(2, "grant", "1 Caller user"),
      entry(3, "expiry", "unused bonus at month end"),
      entry(4, "adjustment", "Demo credit"),
      entry(5, "call_charge", "credit short by 1500 micro-dollars"),
      entry(6, "purchase", "pay_ref_42"),
      entry(7, "call_charge", null),
    ]);
    expect(await migrateToLatest(db)).toEqual(migrations.slice(before).map((m) => m.name));
    expect(await db("ledger_entries").orderBy("id").select("note", "note_code", "note_value")).toEqual([
      { note: "2 Caller users", note_code: "bonus_users", note_value: 2 },
      { note: "1 Caller user", note_code: "bonus_users", note_value: 1 },
      { note: "unused bonus at month end", note_code: "bonus_unused", note_value: null },
      { note: "Demo credit", note_code: "demo_credit", note_value: null },
      { note: "credit short by 1500 micro-dollars", note_code: "credit_short", note_value: 1500 },
      { note: "pay_ref_42", note_code: null, note_value: null },
      { note: null, note_code: null, note_value: null },
    ]);
    await db.destroy();
  });
});
