import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import knex, { type Knex } from "knex";

export type DatabaseTarget = { kind: "sqlite"; file: string } | { kind: "postgres"; url: string };
export type Dialect = DatabaseTarget["kind"];

type Done = (error: Error | null, connection: BetterSqlite3.Database) => void;

/**
 * knex opens every SQLite transaction with a plain BEGIN: its first read takes a
 * snapshot, and its first write then fails at once with SQLITE_BUSY if another
 * connection (the writer thread) committed meanwhile — busy_timeout cannot help
 * there. BEGIN IMMEDIATE takes the write lock up front, waiting (busy_timeout)
 * for the other writer instead.
 */
function beginImmediate(connection: BetterSqlite3.Database): void {
  const prepare = connection.prepare.bind(connection);
  connection.prepare = ((sql: string) => prepare(sql === "BEGIN;" ? "BEGIN IMMEDIATE;" : sql));
}

function sqliteConfig(file: string): Knex.Config {
  return {
    client: "better-sqlite3",
    connection: { filename: file },
    useNullAsDefault: true,
    pool: {
      // knex keeps SQLite at one connection; these pragmas are per connection.
      afterCreate(connection: BetterSqlite3.Database, done: Done) {
        try {
          connection.pragma("journal_mode = WAL");
          // FULL, not NORMAL: the server is the authority for money, a power loss must not drop a commit.
          connection.pragma("synchronous = FULL");
          connection.pragma("foreign_keys = ON");
          connection.pragma("busy_timeout = 5000");
          beginImmediate(connection);
          done(null, connection);
        } catch (error) {
          done(error instanceof Error ? error : new Error(String(error)), connection);
        }
      },
    },
  };
}

function postgresConfig(url: string): Knex.Config {
  return { client: "pg", connection: url, pool: { min: 0, max: 10 } };
}

/** Opens the database and checks it answers; run `migrateToLatest` next. */
export async function openDatabase(target: DatabaseTarget): Promise<Knex> {
  if (target.kind === "sqlite") mkdirSync(dirname(target.file), { recursive: true });
  const db = knex(target.kind === "sqlite" ? sqliteConfig(target.file) : postgresConfig(target.url));
  try {
    await db.raw("select 1");
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}

export function dialectOf(db: Knex): Dialect {
  const client = (db.client as { config: { client?: unknown } }).config.client;
  return client === "pg" ? "postgres" : "sqlite";
}
