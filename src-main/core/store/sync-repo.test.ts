import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { storeClients } from "./open-knex";
import { getSyncState, saveSyncState } from "./sync-repo";
import { openTempStore } from "./temp-store";
import type { TempStore } from "./temp-store";

describe.each(storeClients)("sync state repository on %s", (client) => {
  let store: TempStore;
  beforeEach(async () => {
    store = await openTempStore(client);
  });
  afterEach(() => store.dispose());

  it("starts from seq 0, never synced, no error", async () => {
    expect(await getSyncState(store.knex)).toEqual({ lastSeq: 0, lastSyncedAt: null, lastError: null });
  });

  it("writes only the fields given", async () => {
    await saveSyncState(store.knex, { lastSeq: 42, lastSyncedAt: 1000 });
    await saveSyncState(store.knex, { lastError: "offline" });
    expect(await getSyncState(store.knex)).toEqual({ lastSeq: 42, lastSyncedAt: 1000, lastError: "offline" });
    await saveSyncState(store.knex, { lastError: null });
    expect((await getSyncState(store.knex)).lastError).toBeNull();
  });

  it("keeps the old seq when the transaction that saved a new one rolls back", async () => {
    await saveSyncState(store.knex, { lastSeq: 5 });
    await expect(
      store.knex.transaction(async (trx) => {
        await saveSyncState(trx, { lastSeq: 9 });
        throw new Error("page failed");
      }),
    ).rejects.toThrow("page failed");
    expect((await getSyncState(store.knex)).lastSeq).toBe(5);
  });
});
