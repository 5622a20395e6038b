import type { Knex } from "knex";
import { z } from "zod";
import {
  defaultRecordingCacheLimitBytes,
  type CacheLimitReply,
  type PinReply,
  type RecordingCacheState,
} from "../../../src-shared/api/areas/recordings";
import type { RecordingMeta, RecordingSummary } from "../../../src-shared/server-api/recordings";
import { getSetting, setSetting } from "../store/settings-repo";
import { fileFor, listCacheFiles, readVerified, removeFile, sha256Hex, writeAtomically } from "./cache-files";
import {
  cachedForCalls,
  clearCachedRows,
  deleteCached,
  findCached,
  listSizes,
  offlineStateOf,
  setCachedCanDownload,
  setCachedPinned,
  touchCached,
  upsertCached,
  type CachedRecording,
} from "./cache-repo";
import { planEviction } from "./eviction";

const limitKey = "recordingCache.limitBytes";
// The API refuses limits under the minimum; the cache itself takes any (tests use a few kB).
const LimitBytes = z.number().int().positive();

export type PutResult = { kept: true; pinned: boolean } | { kept: false; problem: "checksum_mismatch" } | { kept: false; problem: "too_large"; limitBytes: number; pinnedBytes: number };

/**
 * Recordings kept on disk as `<dir>/<sha256>.wav`, one row each in
 * `recording_cache`. A file is written whole (temp, fsync, rename) before its
 * row, and only when its bytes hash to the server's sha256; what a crash or a
 * hand leaves unpaired is cleaned at start, and a row whose file is gone or
 * changed is dropped when read, never served. Every change runs one at a time.
 */
export class RecordingCache {
  private queue: Promise<unknown> = Promise.resolve();
  /** Start-up cleanup; every other call queues behind it. */
  readonly ready: Promise<void>;

  constructor(
    private readonly db: Knex,
    private readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {
    this.ready = this.exclusive(() => this.reconcile());
    this.ready.catch((error: unknown) => console.error("[recording-cache] start-up cleanup failed", error));
  }

  /** The kept audio, touched as just used; null when not kept (or its file was lost, which drops the row). */
  read(id: string): Promise<{ bytes: Buffer; cached: CachedRecording } | null> {
    return this.exclusive(async () => {
      const cached = await findCached(this.db, id);
      if (cached === undefined) return null;
      const bytes = await readVerified(this.dir, cached.meta.sha256);
      if (bytes === null) {
        console.warn(`[recording-cache] recording ${id}: its file is missing or changed on disk; dropped`);
        await this.forgetNow([id]);
        return null;
      }
      await touchCached(this.db, id, this.now());
      return { bytes, cached };
    });
  }

  find(id: string): Promise<CachedRecording | undefined> {
    return this.exclusive(() => findCached(this.db, id));
  }

  forCalls(callIds: readonly string[]): Promise<CachedRecording[]> {
    return this.exclusive(() => cachedForCalls(this.db, callIds));
  }

  /** Keeps `bytes` as `meta`'s audio, evicting least recently used unpinned ones to make room. */
  put(meta: RecordingMeta, bytes: Uint8Array, pin: boolean): Promise<PutResult> {
    return this.exclusive(async () => {
      if (sha256Hex(bytes) !== meta.sha256) {
        console.warn(`[recording-cache] recording ${meta.id}: ${bytes.length} bytes do not hash to the server's sha256; not kept`);
        return { kept: false, problem: "checksum_mismatch" } as const;
      }
      const entries = await listSizes(this.db);
      const pinned = pin || entries.some((e) => e.id === meta.id && e.pinned);
      const limitBytes = await this.limit();
      const plan = planEviction(entries, limitBytes, { id: meta.id, sizeBytes: bytes.length });
      if (!plan.fits) return { kept: false, problem: "too_large", limitBytes, pinnedBytes: plan.pinnedBytes } as const;
      await this.forgetNow(plan.evict);
      await writeAtomically(this.dir, meta.sha256, bytes);
      await upsertCached(this.db, { ...meta, sizeBytes: bytes.length }, pinned, this.now());
      return { kept: true, pinned } as const;
    });
  }

  /** Pins a kept recording (refused when the pinned ones would not fit the limit) or unpins it. */
  setPinned(id: string, pinned: boolean): Promise<PinReply | null> {
    return this.exclusive(async () => {
      const entries = await listSizes(this.db);
      const entry = entries.find((e) => e.id === id);
      if (entry === undefined) return null;
      if (pinned) {
        const limitBytes = await this.limit();
        const plan = planEviction(entries, limitBytes, entry);
        if (!plan.fits) return { ok: false, reason: "over_limit", limitBytes, pinnedBytes: plan.pinnedBytes } as const;
      }
      await setCachedPinned(this.db, id, pinned);
      return { ok: true, offline: offlineStateOf({ pinned }) } as const;
    });
  }

  setLimit(limitBytes: number): Promise<CacheLimitReply> {
    return this.exclusive(async () => {
      const plan = planEviction(await listSizes(this.db), limitBytes, null);
      if (!plan.fits) return { ok: false, reason: "over_limit", limitBytes, pinnedBytes: plan.pinnedBytes } as const;
      await this.forgetNow(plan.evict);
      await setSetting(this.db, limitKey, limitBytes);
      return { ok: true, state: await this.stateNow() } as const;
    });
  }

  state(): Promise<RecordingCacheState> {
    return this.exclusive(() => this.stateNow());
  }

  setCanDownload(id: string, canDownload: boolean): Promise<void> {
    return this.exclusive(() => setCachedCanDownload(this.db, id, canDownload));
  }

  /**
   * The server's list for `callIds` is the truth: a kept recording's download
   * permission follows it, and one it no longer shows (deleted, or no longer
   * the user's to see) is dropped.
   */
  refresh(callIds: readonly string[], listed: readonly RecordingSummary[]): Promise<void> {
    return this.exclusive(async () => {
      const byId = new Map(listed.map((r) => [r.id, r]));
      const gone: string[] = [];
      for (const cached of await cachedForCalls(this.db, callIds)) {
        const summary = byId.get(cached.meta.id);
        if (summary === undefined) gone.push(cached.meta.id);
        else if (summary.canDownload !== cached.meta.canDownload) await setCachedCanDownload(this.db, cached.meta.id, summary.canDownload);
      }
      await this.forgetNow(gone);
    });
  }

  forget(ids: readonly string[]): Promise<void> {
    return this.exclusive(() => this.forgetNow(ids));
  }

  /** Every kept recording, pinned ones too (sign-out, or the user's "clear"). */
  clear(): Promise<RecordingCacheState> {
    return this.exclusive(async () => {
      await clearCachedRows(this.db);
      const files = await listCacheFiles(this.dir);
      for (const path of [...files.complete.map((sha) => fileFor(this.dir, sha)), ...files.partial]) await removeFile(path);
      return this.stateNow();
    });
  }

  /** Lets the change in progress (and those queued behind it) finish, so the store can close after them. */
  async close(): Promise<void> {
    await this.queue;
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private limit(): Promise<number> {
    return getSetting(this.db, limitKey, LimitBytes, defaultRecordingCacheLimitBytes);
  }

  private async stateNow(): Promise<RecordingCacheState> {
    const entries = await listSizes(this.db);
    const pinned = entries.filter((e) => e.pinned);
    return {
      usedBytes: entries.reduce((sum, e) => sum + e.sizeBytes, 0),
      pinnedBytes: pinned.reduce((sum, e) => sum + e.sizeBytes, 0),
      count: entries.length,
      pinnedCount: pinned.length,
      limitBytes: await this.limit(),
    };
  }

  /** Rows first, then files no remaining row names (two recordings with the same bytes share one file). */
  private async forgetNow(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const before = await listSizes(this.db);
    await deleteCached(this.db, ids);
    const kept = new Set(before.filter((e) => !ids.includes(e.id)).map((e) => e.sha256));
    for (const sha of new Set(before.filter((e) => ids.includes(e.id)).map((e) => e.sha256))) {
      if (!kept.has(sha)) await removeFile(fileFor(this.dir, sha));
    }
  }

  /** A crash between rename and insert leaves a file without a row; a hand may delete a file under a row. */
  private async reconcile(): Promise<void> {
    const files = await listCacheFiles(this.dir);
    for (const path of files.partial) await removeFile(path);
    const onDisk = new Set(files.complete);
    const entries = await listSizes(this.db);
    const missing = entries.filter((e) => !onDisk.has(e.sha256)).map((e) => e.id);
    if (missing.length > 0) console.warn(`[recording-cache] ${missing.length} kept recording(s) had no file; dropped`);
    await deleteCached(this.db, missing);
    const named = new Set(entries.map((e) => e.sha256));
    for (const sha of files.complete) if (!named.has(sha)) await removeFile(fileFor(this.dir, sha));
  }
}
