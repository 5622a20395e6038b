import { dirname } from "node:path";
import knexFactory from "knex";
import type { Knex } from "knex";
import { assertNever } from "../../../src-shared/assert-never";
import { ensurePrivateDir, ensurePrivateFile, tightenFile } from "./private-files";

export const storeClients = ["better-sqlite3", "sqlite3"] as const;
export type StoreClient = (typeof storeClients)[number];

// bench/store-bench.ts, 7 runs: better-sqlite3 did 2.2–3.7x sqlite3's key reads/s, 1.3–1.7x history pages and 1.4–2.9x one-row commits; batched inserts were even (0.7–1.5x).
export const defaultStoreClient: StoreClient = "better-sqlite3";

/**
 * busy_timeout first so the WAL switch waits for a lock instead of failing.
 * WAL + synchronous=NORMAL survives an app crash; only a power loss can drop
 * the last commits, and the server is the authority for money, so the next
 * sync restores them.
 */
const pragmas = ["busy_timeout = 5000", "journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON"];
const pragmaSql = pragmas.map((p) => `PRAGMA ${p};`).join("\n");

interface Sqlite3Connection {
  exec(sql: string, callback: (error: Error | null) => void): unknown;
}
interface BetterSqlite3Connection {
  exec(sql: string): unknown;
}
type AfterCreateDone = (error: Error | null, connection: unknown) => void;

/** Pragmas are per connection, so they go in `afterCreate` for whatever connection the pool makes. */
function afterCreate(client: StoreClient) {
  return (connection: unknown, done: AfterCreateDone): void => {
    switch (client) {
      case "sqlite3":
        (connection as Sqlite3Connection).exec(pragmaSql, (error) => done(error, connection));
        return;
      case "better-sqlite3":
        try {
          (connection as BetterSqlite3Connection).exec(pragmaSql);
          done(null, connection);
        } catch (error) {
          done(error instanceof Error ? error : new Error(String(error)), connection);
        }
        return;
      default:
        assertNever(client, "store client");
    }
  };
}

export interface OpenKnexOptions {
  file: string;
  client?: StoreClient;
}

/** A knex on a SQLite file with the store's pragmas, before any migration; the file and its folder are the user's alone. */
export async function openKnex({ file, client = defaultStoreClient }: OpenKnexOptions): Promise<Knex> {
  await ensurePrivateDir(dirname(file));
  await ensurePrivateFile(file);
  // Left by an older version with the umask's mode; SQLite keeps an existing file's mode.
  for (const suffix of ["-wal", "-shm", "-journal"]) await tightenFile(file + suffix);
  // Knex's SQLite default is already one connection; written out because the pragmas and the WAL reasoning assume it.
  return knexFactory({
    client,
    connection: { filename: file },
    useNullAsDefault: true,
    pool: { min: 1, max: 1, afterCreate: afterCreate(client) },
  });
}
