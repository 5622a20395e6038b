import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Knex } from "knex";
import { migrateToLatest } from "../db/migrate";
import { openDatabase, type DatabaseTarget } from "../db/open-database";

export interface TestDb {
  db: Knex;
  close(): Promise<void>;
}

export async function openMigrated(target: DatabaseTarget, cleanup: () => Promise<void> = async () => {}): Promise<TestDb> {
  const db = await openDatabase(target);
  await migrateToLatest(db);
  return {
    db,
    async close() {
      await db.destroy();
      await cleanup();
    },
  };
}

/** A migrated SQLite file in its own temp directory, removed on close. */
export async function openSqliteTestDb(): Promise<TestDb & { file: string }> {
  const dir = await mkdtemp(join(tmpdir(), "caller-server-"));
  const file = join(dir, "server.sqlite");
  const opened = await openMigrated({ kind: "sqlite", file }, () => rm(dir, { recursive: true, force: true }));
  return { ...opened, file };
}

export interface Snapshot {
  companies: unknown[];
  users: unknown[];
  changes: unknown[];
  sessions: number;
}

/** Every row a route could write, to show that a refused request wrote nothing. */
export async function snapshot(db: Knex): Promise<Snapshot> {
  const [companies, users, changes, sessions] = await Promise.all([
    db("companies").orderBy("id"),
    db("users").orderBy("id"),
    db("changes").orderBy("seq"),
    db("sessions").count<{ n: number | string }[]>({ n: "*" }),
  ]);
  return { companies, users, changes, sessions: Number(sessions[0]?.n ?? 0) };
}
