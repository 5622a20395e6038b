import type { Knex } from "knex";

interface SyncStateRow {
  id: 1;
  last_seq: number;
  last_synced_at: number | null;
  last_error: string | null;
}

/** What the sync client keeps between runs; the live status (syncing, offline) is not stored. */
export interface StoredSyncState {
  lastSeq: number;
  lastSyncedAt: number | null;
  lastError: string | null;
}

const columns = { lastSeq: "last_seq", lastSyncedAt: "last_synced_at", lastError: "last_error" } as const;

export async function getSyncState(db: Knex): Promise<StoredSyncState> {
  const row = await db<SyncStateRow>("sync_state").where({ id: 1 }).first();
  return {
    lastSeq: row?.last_seq ?? 0,
    lastSyncedAt: row?.last_synced_at ?? null,
    lastError: row?.last_error ?? null,
  };
}

/** Writes only the fields given, in one statement, so concurrent saves of different fields both land. */
export async function saveSyncState(db: Knex, patch: Partial<StoredSyncState>): Promise<void> {
  const fields = (Object.keys(columns) as (keyof StoredSyncState)[]).filter((f) => patch[f] !== undefined);
  if (fields.length === 0) return;
  const row: SyncStateRow = {
    id: 1,
    last_seq: patch.lastSeq ?? 0,
    last_synced_at: patch.lastSyncedAt ?? null,
    last_error: patch.lastError ?? null,
  };
  await db<SyncStateRow>("sync_state")
    .insert(row)
    .onConflict("id")
    .merge(fields.map((f) => columns[f]));
}
