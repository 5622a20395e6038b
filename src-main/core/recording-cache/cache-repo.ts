import type { Knex } from "knex";
import { z } from "zod";
import type { OfflineState } from "../../../src-shared/api/areas/recordings";
import { RecordingPeaks, type RecordingMeta } from "../../../src-shared/server-api/recordings";
import { parseJson, toJson } from "../store/safe-json";
import type { CacheEntrySize } from "./eviction";

const table = "recording_cache";

interface CacheRow {
  id: string;
  call_id: string;
  sha256: string;
  size_bytes: number;
  duration_ms: number;
  channels: number;
  sample_rate: number;
  peaks: string;
  pauses: string;
  recorded_at: number;
  can_download: number;
  pinned: number;
  last_used_at: number;
  created_at: number;
}

export interface CachedRecording {
  meta: RecordingMeta;
  pinned: boolean;
  lastUsedAt: number;
}

const Pauses = z.array(z.object({ action: z.enum(["pause", "resume"]), at: z.number().int() }));

export const offlineStateOf = (entry: { pinned: boolean } | undefined): OfflineState => (entry === undefined ? "none" : entry.pinned ? "pinned" : "cached");

function toCached(row: CacheRow): CachedRecording {
  const peaks = parseJson(row.peaks, RecordingPeaks);
  const pauses = parseJson(row.pauses, Pauses);
  return {
    meta: {
      id: row.id,
      callId: row.call_id,
      durationMs: row.duration_ms,
      canDownload: row.can_download === 1,
      channels: row.channels,
      sampleRate: row.sample_rate,
      sizeBytes: row.size_bytes,
      sha256: row.sha256,
      createdAt: row.recorded_at,
      // A damaged column costs the waveform or the pause marks, never the audio.
      peaks: peaks.ok ? peaks.value : [],
      pauses: pauses.ok ? pauses.value : [],
    },
    pinned: row.pinned === 1,
    lastUsedAt: row.last_used_at,
  };
}

export async function findCached(db: Knex, id: string): Promise<CachedRecording | undefined> {
  const row = await db<CacheRow>(table).where({ id }).first();
  return row === undefined ? undefined : toCached(row);
}

export async function cachedForCalls(db: Knex, callIds: readonly string[]): Promise<CachedRecording[]> {
  if (callIds.length === 0) return [];
  const rows = await db<CacheRow>(table).whereIn("call_id", [...callIds]).orderBy("id");
  return rows.map(toCached);
}

export async function listSizes(db: Knex): Promise<(CacheEntrySize & { sha256: string })[]> {
  const rows = await db<CacheRow>(table).select("id", "sha256", "size_bytes", "pinned", "last_used_at");
  return rows.map((r) => ({ id: r.id, sha256: r.sha256, sizeBytes: r.size_bytes, pinned: r.pinned === 1, lastUsedAt: r.last_used_at }));
}

export async function upsertCached(db: Knex, meta: RecordingMeta, pinned: boolean, now: number): Promise<void> {
  const row: CacheRow = {
    id: meta.id,
    call_id: meta.callId,
    sha256: meta.sha256,
    size_bytes: meta.sizeBytes,
    duration_ms: meta.durationMs,
    channels: meta.channels,
    sample_rate: meta.sampleRate,
    peaks: toJson(meta.peaks, "recording peaks"),
    pauses: toJson(meta.pauses, "recording pauses"),
    recorded_at: meta.createdAt,
    can_download: meta.canDownload ? 1 : 0,
    pinned: pinned ? 1 : 0,
    last_used_at: now,
    created_at: now,
  };
  await db<CacheRow>(table).insert(row).onConflict("id").merge(["sha256", "size_bytes", "can_download", "pinned", "last_used_at", "peaks", "pauses"]);
}

export async function touchCached(db: Knex, id: string, now: number): Promise<void> {
  await db<CacheRow>(table).where({ id }).update({ last_used_at: now });
}

export async function setCachedPinned(db: Knex, id: string, pinned: boolean): Promise<void> {
  await db<CacheRow>(table).where({ id }).update({ pinned: pinned ? 1 : 0 });
}

export async function setCachedCanDownload(db: Knex, id: string, canDownload: boolean): Promise<void> {
  await db<CacheRow>(table).where({ id }).update({ can_download: canDownload ? 1 : 0 });
}

export async function deleteCached(db: Knex, ids: readonly string[]): Promise<void> {
  if (ids.length > 0) await db<CacheRow>(table).whereIn("id", [...ids]).delete();
}

export async function clearCachedRows(db: Knex): Promise<void> {
  await db<CacheRow>(table).delete();
}
