import type { Knex } from "knex";
import * as companiesUsers from "./migrations/0001_companies_users";
import * as sessions from "./migrations/0002_sessions";
import * as changes from "./migrations/0003_changes";

interface NamedMigration {
  name: string;
  migration: Knex.Migration;
}

/** Listed here, not found by scanning a directory: the server is bundled with esbuild. Append only. */
export const migrations: readonly NamedMigration[] = [
  { name: "0001_companies_users", migration: companiesUsers },
  { name: "0002_sessions", migration: sessions },
  { name: "0003_changes", migration: changes },
];

export const migrationSource: Knex.MigrationSource<NamedMigration> = {
  getMigrations: () => Promise.resolve([...migrations]),
  getMigrationName: (m) => m.name,
  getMigration: (m) => Promise.resolve(m.migration),
};

/** Runs what has not run yet; returns the names it ran (none when already current). */
export async function migrateToLatest(db: Knex): Promise<string[]> {
  const [, ran] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
  return ran;
}
