import Database from "better-sqlite3";
import type BetterSqlite3 from "better-sqlite3";
import type { Knex } from "knex";

/**
 * Reads on the PBX's critical path (authorize, the realtime endpoint look-up)
 * run while a caller's INVITE waits. Through knex each one built its query,
 * went round the pool's promises and prepared its statement again: about
 * 0.4 ms of the server's 0.85 ms per authorize (measured in the shipped server
 * under `npm run bench -- authorize-bench`). Here, on SQLite, the same SQL is
 * prepared once on a read-only connection of its own and run synchronously.
 *
 * Its own connection, not knex's: a read on knex's connection while a knex
 * transaction is open would see that transaction's uncommitted rows. In WAL
 * mode this one sees exactly what has been committed, by any connection.
 * On PostgreSQL (or a database opened some other way) the query runs
 * through knex as before.
 */

interface Prepared {
  statement: BetterSqlite3.Statement;
  /** The compiled bindings, with `hotParameter` where the asked-for value goes. */
  bindings: readonly unknown[];
}

interface HotReads {
  file: string;
  connection: BetterSqlite3.Database | null;
  prepared: Map<string, Prepared>;
}

const registry = new WeakMap<Knex, HotReads>();

/** Called by openDatabase for a SQLite file; the connection opens on the first hot read and closes with `db.destroy()`. */
export function enableHotReads(db: Knex, file: string): void {
  const reads: HotReads = { file, connection: null, prepared: new Map() };
  registry.set(db, reads);
  // knex's own destroy() is read-only; it ends in its client's, which is not.
  const client = db.client as { destroy: (callback?: unknown) => Promise<void> };
  const destroy = client.destroy.bind(client);
  client.destroy = (callback) => {
    reads.connection?.close();
    reads.connection = null;
    reads.prepared.clear();
    registry.delete(db);
    return destroy(callback);
  };
}

/** Stands in for the value a hot query is asked about, while its SQL is compiled; no real value contains it. */
export const hotParameter = "\u0000hot-read-parameter\u0000";

function prepare(reads: HotReads, build: () => Knex.QueryBuilder): Prepared {
  if (reads.connection === null) {
    const connection = new Database(reads.file, { readonly: true, fileMustExist: true });
    // The same wait as knex's connection, when a checkpoint or a recovery holds the file for a moment.
    connection.pragma("busy_timeout = 5000");
    // Each read after another connection's commit starts with an empty page cache: mapped pages cost no read() each.
    connection.pragma("mmap_size = 268435456");
    reads.connection = connection;
  }
  const compiled = build().first().toSQL().toNative();
  if (!compiled.bindings.includes(hotParameter)) throw new Error("a hot read's query must use hotParameter");
  // As knex's better-sqlite3 client binds them: a boolean as 1/0, a Date as its milliseconds.
  const bindings = compiled.bindings.map((binding: unknown) => (typeof binding === "boolean" ? Number(binding) : binding instanceof Date ? binding.valueOf() : binding));
  return { statement: reads.connection.prepare(compiled.sql), bindings };
}

/**
 * The first row of `build(parameter)` for `value`. The query is written with the
 * builder as everywhere else (one source for its SQL), compiled and prepared
 * once per database under `key`, and then only bound and run.
 */
export async function hotFirst<Row>(db: Knex, key: string, build: (parameter: string) => Knex.QueryBuilder, value: string): Promise<Row | undefined> {
  const reads = registry.get(db);
  if (reads === undefined) return (await build(value).first()) as Row | undefined;
  let prepared = reads.prepared.get(key);
  if (prepared === undefined) {
    prepared = prepare(reads, () => build(hotParameter));
    reads.prepared.set(key, prepared);
  }
  return prepared.statement.get(...prepared.bindings.map((binding) => (binding === hotParameter ? value : binding))) as Row | undefined;
}
