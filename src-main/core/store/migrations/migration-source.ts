import type { Knex } from "knex";
import * as m0001 from "./0001_init";
import * as m0002 from "./0002_pending_outcomes";
import * as m0003 from "./0003_crm_history";
import * as m0004 from "./0004_recording_cache";
import * as m0005 from "./0005_recording_uploads";
import * as m0006 from "./0006_sync_edits";
import * as m0007 from "./0007_token_scheme";
import * as m0008 from "./0008_outcome_keys";
import * as m0009 from "./0009_outcome_outbox";
import * as m0010 from "./0010_dial_queue";
import * as m0011 from "./0011_transferred_calls";

/**
 * Every migration, in order, listed by hand: the app is bundled with esbuild,
 * so there is no directory to scan. Append new ones; never edit a landed one.
 */
export const migrations = [
  { name: "0001_init", module: m0001 },
  { name: "0002_pending_outcomes", module: m0002 },
  { name: "0003_crm_history", module: m0003 },
  { name: "0004_recording_cache", module: m0004 },
  { name: "0005_recording_uploads", module: m0005 },
  { name: "0006_sync_edits", module: m0006 },
  { name: "0007_token_scheme", module: m0007 },
  { name: "0008_outcome_keys", module: m0008 },
  { name: "0009_outcome_outbox", module: m0009 },
  { name: "0010_dial_queue", module: m0010 },
  { name: "0011_transferred_calls", module: m0011 },
] as const satisfies readonly { name: string; module: Knex.Migration }[];

export type MigrationName = (typeof migrations)[number]["name"];
type Entry = (typeof migrations)[number];

export const migrationNames: readonly MigrationName[] = migrations.map((m) => m.name);

const migrationSource: Knex.MigrationSource<Entry> = {
  getMigrations: () => Promise.resolve([...migrations]),
  getMigrationName: (entry) => entry.name,
  getMigration: (entry) => Promise.resolve(entry.module),
};

export const migrationConfig: Knex.MigratorConfig = {
  migrationSource,
  tableName: "knex_migrations",
};
