import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Knex } from "knex";
import { afterEach, beforeEach } from "vitest";
import { openKnex, type StoreClient } from "../open-knex";
import { makeTempDir } from "../temp-store";

/** Tests only: a new, unmigrated store file on `client` for each test (handed to `use`), removed after it. */
export function useEmptyStore(client: StoreClient, use: (db: Knex) => void): void {
  let dir: string;
  let db: Knex;
  beforeEach(async () => {
    dir = await makeTempDir();
    db = await openKnex({ file: join(dir, "store.sqlite"), client });
    use(db);
  });
  afterEach(async () => {
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  });
}
