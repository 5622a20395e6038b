import type { Knex } from "knex";
import { assertNever } from "../../../src-shared/assert-never";
import { CallerError, errorToText } from "../../../src-shared/errors";
import type { UploadAuth } from "./upload-client";
import { uploadOnce, type UploadOutcome } from "./upload-one";
import { listRecordingUploads, transitionRecordingUpload, updateRecordingUpload, type LocalUpload, type UploadOwner } from "./uploads-repo";

/** The signed-in session the queue uploads as: only that owner's recordings go. */
export type UploadSession = UploadOwner & UploadAuth;

export interface UploadQueueOptions {
  db: Knex;
  session: () => Promise<UploadSession | null>;
  emit: (upload: LocalUpload) => void;
  /** Between tries of one recording: base × 2^(tries − 1), at most max. */
  backoff?: { baseMs: number; maxMs: number };
  /** Checksum mismatches in a row before a recording is given up as failed. */
  maxChecksumRetries?: number;
  now?: () => number;
  log?: (message: string, error: unknown) => void;
}

const defaultBackoff = { baseMs: 1000, maxMs: 60_000 };
/** Tries per run; each one ends a recording's turn (done, failed, or deferred into the future). */
const maxTriesPerRun = 1000;

/**
 * Uploads closed recordings one at a time, oldest first, as the signed-in user.
 * A try that fails for now (offline, server down, call not ended) waits with
 * exponential backoff; the next try resumes from the offset the server holds.
 */
export class UploadQueue {
  readonly #options: UploadQueueOptions;
  readonly #notBefore = new Map<string, number>();
  readonly #mismatches = new Map<string, number>();
  readonly #abort = new AbortController();
  #running: Promise<void> | null = null;
  #again = false;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: UploadQueueOptions) {
    this.#options = options;
  }

  /** Look for work now (a recording closed, the session changed, a retry). */
  kick(): void {
    if (this.#closed) return;
    if (this.#running !== null) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#running = this.#runAll().finally(() => {
      this.#running = null;
      if (this.#again) {
        this.#again = false;
        this.kick();
      }
    });
  }

  /** A user's retry: no waiting out the backoff. */
  forgetBackoff(clientCallId: string): void {
    this.#notBefore.delete(clientCallId);
    this.#mismatches.delete(clientCallId);
  }

  /** Resolves when no run is under way (tests). */
  async whenIdle(): Promise<void> {
    for (let i = 0; i < 100 && this.#running !== null; i += 1) await this.#running;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#abort.abort();
    await this.#running;
  }

  get #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  async #runAll(): Promise<void> {
    try {
      for (let tries = 0; tries < maxTriesPerRun && !this.#closed; tries += 1) {
        const session = await this.#options.session();
        if (session === null) return;
        const waiting = await listRecordingUploads(this.#options.db, { states: ["waiting"], owner: session });
        const due = waiting.reverse().find((u) => (this.#notBefore.get(u.clientCallId) ?? 0) <= this.#now);
        if (due === undefined) {
          this.#schedule(waiting);
          return;
        }
        await this.#tryOne(due, session);
      }
    } catch (error) {
      this.#options.log?.("recording uploads: the queue stopped", error);
    }
  }

  async #tryOne(upload: LocalUpload, session: UploadSession): Promise<void> {
    const { db, emit } = this.#options;
    emit(await transitionRecordingUpload(db, upload.clientCallId, "picked"));
    let outcome: UploadOutcome;
    try {
      outcome = await uploadOnce(upload, {
        auth: session,
        signal: this.#abort.signal,
        progress: async ({ uploadId, sentBytes }) => {
          await updateRecordingUpload(db, upload.clientCallId, { sentBytes, ...(uploadId === undefined ? {} : { uploadId }) });
          emit({ ...upload, state: "uploading", sentBytes, uploadId: uploadId ?? upload.uploadId });
        },
      });
    } catch (error) {
      outcome = { kind: "deferred", error: error instanceof CallerError ? error : new CallerError("internal", error instanceof Error ? error.message : String(error)) };
    }
    emit(await this.#settle(upload, outcome));
  }

  async #settle(upload: LocalUpload, outcome: UploadOutcome): Promise<LocalUpload> {
    const { db } = this.#options;
    const id = upload.clientCallId;
    switch (outcome.kind) {
      case "confirmed":
        this.forgetBackoff(id);
        return transitionRecordingUpload(db, id, "confirmed", { sentBytes: upload.sizeBytes ?? 0, error: null, attempts: upload.attempts + 1 });
      case "refused":
        this.forgetBackoff(id);
        return transitionRecordingUpload(db, id, "refused", { error: errorToText(outcome.error), attempts: upload.attempts + 1 });
      case "deferred": {
        if (outcome.checksumMismatch === true) {
          const mismatches = (this.#mismatches.get(id) ?? 0) + 1;
          this.#mismatches.set(id, mismatches);
          if (mismatches > (this.#options.maxChecksumRetries ?? 3)) return this.#settle(upload, { kind: "refused", error: outcome.error });
        }
        const attempts = upload.attempts + 1;
        const { baseMs, maxMs } = this.#options.backoff ?? defaultBackoff;
        this.#notBefore.set(id, this.#now + Math.min(maxMs, baseMs * 2 ** Math.min(attempts - 1, 30)));
        return transitionRecordingUpload(db, id, "deferred", { error: errorToText(outcome.error), attempts });
      }
      default:
        return assertNever(outcome, "upload outcome");
    }
  }

  /** Wakes for the earliest deferred recording; none waiting: nothing to wake for. */
  #schedule(waiting: readonly LocalUpload[]): void {
    if (this.#closed || waiting.length === 0) return;
    const next = Math.min(...waiting.map((u) => this.#notBefore.get(u.clientCallId) ?? 0));
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.kick(), Math.max(0, next - this.#now));
    this.#timer.unref();
  }
}
