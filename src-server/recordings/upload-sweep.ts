import type { Knex } from "knex";
import { CallerError } from "../../src-shared/errors";
import type { ServiceLog } from "../calls/calls-service";
import { UploadFiles } from "./upload-files";
import { deleteAbandonedUpload, existingUploadIds, isAbandonedUpload, listPendingUploads, restartUploadAsSeen } from "./uploads-repo";

const dayMs = 24 * 60 * 60 * 1000;
export const defaultUploadAbandonDays = 14;

/** `--upload-abandon-days N` / CALLER_UPLOAD_ABANDON_DAYS: a whole number of days, at least 1. */
export function uploadAbandonMs(text: string | undefined): number {
  if (text === undefined || text === "") return defaultUploadAbandonDays * dayMs;
  const days = Number(text);
  if (!/^\d+$/.test(text) || days < 1 || days > 36_500) throw new CallerError("bad_request", `--upload-abandon-days must be a whole number of days from 1, got "${text}"`);
  return days * dayMs;
}

/** What one sweep did: uploads deleted (row and file), partial files without a row, offsets set back to 0, bytes freed. */
export interface UploadSweepResult {
  abandoned: number;
  orphans: number;
  restarted: number;
  bytesFreed: number;
}

/**
 * Frees what desktop uploads that never finish hold: an unfinished upload untouched for
 * `abandonAfterMs` loses its partial file, then its row (a crash between leaves a row without
 * file, which the next sweep deletes and which meanwhile restarts at 0); a partial file without a
 * row goes. A completed upload, a recording, or an upload moved within the limit is never touched.
 * An upload that claims more bytes than its file holds is set back to 0, so nobody resumes past
 * bytes the server does not have; the desktop then sends from 0.
 */
export async function sweepUploads(db: Knex, files: UploadFiles, now: number, abandonAfterMs: number): Promise<UploadSweepResult> {
  const result: UploadSweepResult = { abandoned: 0, orphans: 0, restarted: 0, bytesFreed: 0 };
  const movedBefore = now - abandonAfterMs;

  for (const upload of await listPendingUploads(db, movedBefore)) {
    // Looked at again just before: a desktop that came back since the listing keeps its bytes.
    if (!(await isAbandonedUpload(db, upload.id, movedBefore))) continue;
    const bytes = await files.length(upload.id);
    await files.remove(upload.id);
    result.bytesFreed += bytes;
    if (await deleteAbandonedUpload(db, upload.id, movedBefore)) result.abandoned += 1;
  }

  // Files listed before rows are read: a file is only made for a row that exists, so one without a row is no one's.
  const partIds = await files.ids();
  const rows = await existingUploadIds(db, partIds);
  for (const id of partIds) {
    if (rows.has(id)) continue;
    result.bytesFreed += await files.length(id);
    await files.remove(id);
    result.orphans += 1;
  }

  for (const upload of await listPendingUploads(db)) {
    if (upload.receivedBytes === 0 || (await files.length(upload.id)) >= upload.receivedBytes) continue;
    if (await restartUploadAsSeen(db, upload, now)) result.restarted += 1;
  }
  return result;
}

export interface UploadSweeperOptions {
  db: Knex;
  uploadsDir: string;
  now: () => number;
  log: ServiceLog;
  abandonAfterMs: number;
  /** Between sweeps after the one at start; hourly unless given. */
  everyMs?: number;
}

/** Runs `sweepUploads` at start and then every hour, one sweep at a time; stop waits for a sweep under way. */
export class UploadSweeper {
  readonly #options: UploadSweeperOptions;
  readonly #files: UploadFiles;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<UploadSweepResult | null> | null = null;
  #stopped = false;

  constructor(options: UploadSweeperOptions) {
    this.#options = options;
    this.#files = new UploadFiles(options.uploadsDir);
  }

  start(): void {
    if (this.#stopped || this.#timer !== undefined) return;
    void this.sweep();
    this.#timer = setInterval(() => void this.sweep(), this.#options.everyMs ?? 60 * 60 * 1000).unref();
  }

  /** One sweep now (or the one under way); null when stopped or when it failed (logged). */
  sweep(): Promise<UploadSweepResult | null> {
    if (this.#stopped) return Promise.resolve(null);
    this.#running ??= this.#sweepOnce().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#running;
  }

  async #sweepOnce(): Promise<UploadSweepResult | null> {
    const { db, now, log, abandonAfterMs } = this.#options;
    try {
      const result = await sweepUploads(db, this.#files, now(), abandonAfterMs);
      if (result.abandoned + result.orphans + result.restarted > 0) log.info({ ...result }, "recording uploads: swept abandoned partial uploads");
      return result;
    } catch (error) {
      log.error({ err: error instanceof Error ? error.message : String(error) }, "recording uploads: sweep failed");
      return null;
    }
  }
}
