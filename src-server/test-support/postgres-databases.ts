import { afterAll, beforeAll } from "vitest";
import { startPostgres, type PostgresCluster } from "./postgres";
import { openMigrated, type TestDb } from "./test-db";

/**
 * For a route suite's PostgreSQL file: one cluster for the file (started
 * before its tests, stopped after them) and a fresh migrated database from it
 * on each call.
 */
export function migratedPostgresDatabases(): () => Promise<TestDb> {
  let cluster: PostgresCluster | undefined;
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });
  return async () => {
    if (cluster === undefined) throw new Error("the PostgreSQL cluster did not start (see the beforeAll error)");
    return openMigrated({ kind: "postgres", url: await cluster.createDatabase() });
  };
}
