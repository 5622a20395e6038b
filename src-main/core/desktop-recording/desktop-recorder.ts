import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Knex } from "knex";
import type { RecordingUpload } from "../../../src-shared/api/areas/recorder";
import { CallerError, errorToText } from "../../../src-shared/errors";
import { fileSha256 } from "./file-sha256";
import { repairWav } from "./repair-wav";
import { UploadQueue, type UploadQueueOptions, type UploadSession } from "./upload-queue";
import {
  deleteRecordingUpload,
  findRecordingUpload,
  insertRecordingUpload,
  listRecordingUploads,
  pruneDoneUploads,
  toRecordingUpload,
  transitionRecordingUpload,
  type LocalUpload,
} from "./uploads-repo";
import { WavWriter } from "./wav-writer";

export interface DesktopRecorderOptions {
  db: Knex;
  /** `<dataDir>/recordings-out`: one `<clientCallId>.wav` per recording until the server confirms it. */
  dir: string;
  session: () => Promise<UploadSession | null>;
  emit: (upload: RecordingUpload) => void;
  backoff?: UploadQueueOptions["backoff"];
  now?: () => number;
  log?: (message: string, error: unknown) => void;
}

/** Finished uploads stay listed this long. */
const keepDoneMs = 7 * 24 * 3600_000;

/**
 * The core side of desktop recording: the renderer's chunks into a crash-safe WAV per call,
 * closed and hashed at stop (or repaired at the next start after a crash), then handed to the
 * upload queue. The renderer only ever sends audio; the file and the upload are the core's.
 */
export class DesktopRecorder {
  readonly #options: DesktopRecorderOptions;
  readonly #writers = new Map<string, WavWriter>();
  readonly #queue: UploadQueue;
  #recovering: Promise<void> = Promise.resolve();

  constructor(options: DesktopRecorderOptions) {
    this.#options = options;
    this.#queue = new UploadQueue({
      db: options.db,
      session: options.session,
      emit: (upload) => options.emit(toRecordingUpload(upload)),
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
      ...(options.now === undefined ? {} : { now: options.now }),
      ...(options.log === undefined ? {} : { log: options.log }),
    });
  }

  get #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  async start(clientCallId: string, sampleRate: number): Promise<void> {
    const open = this.#writers.get(clientCallId);
    if (open !== undefined) {
      // The renderer asking again (a retried call to the core): the same recording.
      if (open.sampleRate === sampleRate) return;
      throw new CallerError("conflict", `This call is being recorded at ${open.sampleRate} Hz`);
    }
    const { db, dir } = this.#options;
    if ((await findRecordingUpload(db, clientCallId)) !== undefined) throw new CallerError("conflict", "This call has been recorded already");
    const session = await this.#options.session();
    if (session === null) throw new CallerError("not_signed_in", "Sign in first.");
    const path = join(dir, `${clientCallId}.wav`);
    const upload = await insertRecordingUpload(db, { clientCallId, serverUrl: session.serverUrl, userId: session.userId, path, sampleRate, startedAt: this.#now });
    try {
      this.#writers.set(clientCallId, await WavWriter.create(path, sampleRate));
    } catch (error) {
      await deleteRecordingUpload(db, clientCallId);
      throw error;
    }
    this.#emit(upload);
  }

  async append(clientCallId: string, seq: number, pcmBase64: string): Promise<void> {
    const writer = this.#writers.get(clientCallId);
    if (writer === undefined) throw new CallerError("not_found", "No recording of this call is open");
    await writer.append(seq, Buffer.from(pcmBase64, "base64"));
  }

  /** Closes the file and queues its upload; stopping a recording that is closed already is fine. */
  async stop(clientCallId: string): Promise<void> {
    const writer = this.#writers.get(clientCallId);
    if (writer === undefined) {
      if ((await findRecordingUpload(this.#options.db, clientCallId)) !== undefined) return;
      throw new CallerError("not_found", "No recording of this call");
    }
    this.#writers.delete(clientCallId);
    try {
      await writer.close();
    } catch (error) {
      this.#options.log?.("desktop recording: closing failed, repairing", error);
    }
    await this.#closeAndQueue(clientCallId);
  }

  /** The signed-in user's recordings, newest first. */
  async list(): Promise<RecordingUpload[]> {
    const session = await this.#options.session();
    if (session === null) return [];
    return (await listRecordingUploads(this.#options.db, { owner: session, limit: 200 })).map(toRecordingUpload);
  }

  async retry(clientCallId: string): Promise<void> {
    const upload = await findRecordingUpload(this.#options.db, clientCallId);
    if (upload === undefined) throw new CallerError("not_found", "No recording of this call");
    this.#queue.forgetBackoff(clientCallId);
    if (upload.state === "failed" || upload.state === "waiting") this.#emit(await transitionRecordingUpload(this.#options.db, clientCallId, "retried", { error: null, attempts: 0 }));
    this.#queue.kick();
  }

  /**
   * At core start: a recording left open by a crash is repaired and queued, an upload cut off
   * mid-way waits for its turn (it resumes from the server's offset), old finished ones are forgotten.
   */
  recover(): Promise<void> {
    this.#recovering = this.#recover();
    return this.#recovering;
  }

  async #recover(): Promise<void> {
    const { db } = this.#options;
    for (const upload of await listRecordingUploads(db, { states: ["recording", "uploading"] })) {
      if (this.#writers.has(upload.clientCallId)) continue;
      if (upload.state === "uploading") this.#emit(await transitionRecordingUpload(db, upload.clientCallId, "interrupted"));
      else await this.#closeAndQueue(upload.clientCallId);
    }
    await pruneDoneUploads(db, this.#now - keepDoneMs);
    this.#queue.kick();
  }

  kick(): void {
    this.#queue.kick();
  }

  whenIdle(): Promise<void> {
    return this.#queue.whenIdle();
  }

  async close(): Promise<void> {
    await this.#recovering.catch(() => undefined);
    // Open recordings stay "recording": the next start repairs and uploads them.
    for (const writer of this.#writers.values()) await writer.close().catch(() => undefined);
    this.#writers.clear();
    await this.#queue.close();
  }

  /** Sizes from the file's length (a closed file is left as it is), then its sha256, then the queue. */
  async #closeAndQueue(clientCallId: string): Promise<void> {
    const { db } = this.#options;
    const upload = await findRecordingUpload(db, clientCallId);
    if (upload === undefined) return;
    let repaired;
    try {
      repaired = await repairWav(upload.path);
    } catch (error) {
      this.#emit(await transitionRecordingUpload(db, clientCallId, "refused", { error: errorToText(new CallerError("internal", `The recording cannot be read: ${error instanceof Error ? error.message : String(error)}`, { reason: "recording_file_unreadable" })) }));
      return;
    }
    if (repaired === null || repaired.frames === 0) {
      // Nothing was recorded (the app died before the first chunk): nothing to keep or upload.
      await rm(upload.path, { force: true });
      await deleteRecordingUpload(db, clientCallId);
      return;
    }
    const sha256 = await fileSha256(upload.path);
    this.#emit(await transitionRecordingUpload(db, clientCallId, "stopped", { sha256, sizeBytes: repaired.sizeBytes, sentBytes: 0, error: null }));
    this.#queue.kick();
  }

  #emit(upload: LocalUpload): void {
    this.#options.emit(toRecordingUpload(upload));
  }
}
