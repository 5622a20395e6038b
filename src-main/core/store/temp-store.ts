import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "./open-store";
import type { Store } from "./open-store";
import type { StoreClient } from "./open-knex";

/** A real SQLite file in a fresh temp dir, for tests and the benchmark; `dispose` closes it and removes the dir. */
export interface TempStore extends Store {
  dir: string;
  dispose(): Promise<void>;
}

export async function makeTempDir(prefix = "caller-store-"): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function openTempStore(client: StoreClient): Promise<TempStore> {
  const dir = await makeTempDir();
  const store = await openStore({ file: join(dir, "store.sqlite"), client });
  return {
    ...store,
    dir,
    dispose: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
