import type { Knex } from "knex";
import { migrationConfig } from "./migrations/migration-source";
import { defaultStoreClient, openKnex } from "./open-knex";
import type { OpenKnexOptions, StoreClient } from "./open-knex";

export interface Store {
  readonly knex: Knex;
  readonly client: StoreClient;
  readonly file: string;
  close(): Promise<void>;
}

/** Opens (creating if needed) the desktop's local store and brings it to the latest migration. */
export async function openStore(options: OpenKnexOptions): Promise<Store> {
  const knex = await openKnex(options);
  try {
    await knex.migrate.latest(migrationConfig);
  } catch (error) {
    await knex.destroy();
    throw error;
  }
  return {
    knex,
    client: options.client ?? defaultStoreClient,
    file: options.file,
    close: () => knex.destroy(),
  };
}
