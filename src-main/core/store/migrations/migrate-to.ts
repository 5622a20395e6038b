import type { Knex } from "knex";
import { migrationConfig, migrationNames } from "./migration-source";
import type { MigrationName } from "./migration-source";

/**
 * Brings the schema to exactly `target` (null: before the first migration),
 * rolling back later ones or applying earlier ones one by one. For migration
 * tests: migrate to N-1, seed, migrate to N, compare.
 */
export async function migrateTo(db: Knex, target: MigrationName | null): Promise<void> {
  const targetIndex = target === null ? -1 : migrationNames.indexOf(target);
  const done = await completedMigrations(db);

  for (const name of [...done].reverse()) {
    if (migrationNames.indexOf(name) > targetIndex) await db.migrate.down({ ...migrationConfig, name });
  }
  for (const name of migrationNames.slice(0, targetIndex + 1)) {
    if (!done.includes(name)) await db.migrate.up({ ...migrationConfig, name });
  }
}

export async function completedMigrations(db: Knex): Promise<MigrationName[]> {
  const [completed] = (await db.migrate.list(migrationConfig)) as [{ name: MigrationName }[], unknown[]];
  return completed.map((m) => m.name);
}
