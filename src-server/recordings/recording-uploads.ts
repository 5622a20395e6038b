import type { Knex } from "knex";
import { CallerError } from "../../src-shared/errors";
import type { UploadChecksumMismatch, UploadChunkReply, UploadCompleted, UploadConflict, UploadCreateBody, UploadCreateReply } from "../../src-shared/server-api/recordings";
import { findUserCallByClientId } from "../db/calls-repo";
import { toInt } from "../db/row-values";
import type { RequestAuth } from "../http/app";
import { recordingBlocker, storeCallRecording, type RecordedCall } from "./ingest-recording";
import { getRecordingSettings } from "./recording-settings-repo";
import type { RecordingStorage } from "./recording-storage";
import { findRecording } from "./recordings-repo";
import { UploadFiles } from "./upload-files";
import { createUpload, findUpload, findUploadOfCall, markUploadCompleted, moveReceived, resetUpload, type UploadRecord } from "./uploads-repo";
import { decodeTwoChannelWav } from "./wav-audio";

/** A 409 the app acts on: where the server stands and why it did not go on. */
export class UploadConflictError extends CallerError {
  // The upload protocol's own reason (the desktop acts on it), not a reason for the user's words.
  constructor(
    readonly step: UploadConflict["reason"],
    readonly receivedBytes: number,
    message: string,
  ) {
    super("conflict", message);
  }

  get body(): UploadConflict {
    return { code: "conflict", message: this.message, reason: this.step, receivedBytes: this.receivedBytes };
  }
}

/** A complete whose bytes do not hash to the declared sha256; the upload has been reset to 0. */
export class UploadChecksumError extends CallerError {
  constructor() {
    super("bad_request", "The upload's checksum does not match: send it again from the start");
  }

  get body(): UploadChecksumMismatch {
    return { code: "bad_request", message: this.message, reason: "checksum_mismatch" };
  }
}

const noUpload = (): CallerError => new CallerError("not_found", "No upload of yours has this id");

/**
 * The server side of a desktop recording's resumable upload: one upload per call, by its owner;
 * chunks only at the offset the server holds, each fsynced before it is acknowledged; on complete
 * the file is hashed, checked with node-wav and stored through the same path as MixMonitor's.
 * Requests on one upload run one at a time (a retry racing its own timed-out request).
 */
export class RecordingUploads {
  readonly #db: Knex;
  readonly #storage: RecordingStorage;
  readonly #files: UploadFiles;
  readonly #now: () => number;
  readonly #busy = new Map<number, Promise<unknown>>();

  constructor(options: { db: Knex; storage: RecordingStorage; uploadsDir: string; now: () => number }) {
    this.#db = options.db;
    this.#storage = options.storage;
    this.#files = new UploadFiles(options.uploadsDir);
    this.#now = options.now;
  }

  async create(auth: RequestAuth, body: UploadCreateBody): Promise<UploadCreateReply> {
    const call = await findUserCallByClientId(this.#db, auth.userId, body.clientCallId);
    if (call === undefined || call.companyId !== auth.companyId) throw new CallerError("not_found", "No call of yours has this id", { reason: "unknown_call" });
    const upload = await findUploadOfCall(this.#db, call.id);
    const blocker = await recordingBlocker(this.#db, call);
    if (blocker?.status === "exists") {
      // A replay after the recording landed (or the PBX recorded the call): the answer, never a second recording.
      return { uploadId: upload === undefined ? null : String(upload.id), receivedBytes: upload?.sizeBytes ?? 0, completed: { recordingId: String(blocker.recording.id), sha256: blocker.recording.sha256 } };
    }
    if (upload !== undefined) {
      const sameFile = upload.sizeBytes === body.sizeBytes && upload.sha256 === body.sha256;
      // Resumed only from bytes the server still holds (its partial file may have been swept or lost).
      if (sameFile && (upload.receivedBytes === 0 || (await this.#files.length(upload.id)) >= upload.receivedBytes)) {
        return { uploadId: String(upload.id), receivedBytes: upload.receivedBytes, completed: null };
      }
      // Another file for this call, or bytes gone: start it over.
      return this.#serial(upload.id, async () => {
        await resetUpload(this.#db, upload.id, this.#now(), { sizeBytes: body.sizeBytes, sha256: body.sha256 });
        await this.#files.remove(upload.id);
        return { uploadId: String(upload.id), receivedBytes: 0, completed: null };
      });
    }
    if (!(await getRecordingSettings(this.#db, auth.companyId)).enabled) throw new CallerError("forbidden", "Your company does not record calls", { reason: "company_not_recording" });
    const made = await createUpload(this.#db, { companyId: call.companyId, userId: auth.userId, callId: call.id, sizeBytes: body.sizeBytes, sha256: body.sha256 }, this.#now());
    return { uploadId: String(made.id), receivedBytes: made.receivedBytes, completed: null };
  }

  putChunk(auth: RequestAuth, uploadId: number, offset: number, bytes: Buffer): Promise<UploadChunkReply> {
    return this.#serial(uploadId, async () => {
      const upload = await this.#owned(auth, uploadId);
      if (bytes.length === 0) throw new CallerError("bad_request", "An empty chunk", { reason: "upload_chunk_invalid" });
      if (offset !== upload.receivedBytes) throw new UploadConflictError("offset", upload.receivedBytes, `The server holds ${upload.receivedBytes} bytes: send from there`);
      if (offset + bytes.length > upload.sizeBytes) throw new CallerError("bad_request", `The chunk ends at ${offset + bytes.length}, past the ${upload.sizeBytes} bytes declared`, { reason: "upload_chunk_invalid" });
      const held = await this.#files.length(uploadId);
      if (held < offset) {
        // The partial file lost bytes the offset counts (restored from a backup, a disk fault): resume from what is there.
        await resetUpload(this.#db, uploadId, this.#now());
        await this.#files.remove(uploadId);
        throw new UploadConflictError("offset", 0, "The server lost part of this upload: send it again from the start");
      }
      await this.#files.writeAt(uploadId, offset, bytes);
      const end = offset + bytes.length;
      if (!(await moveReceived(this.#db, uploadId, offset, end, this.#now()))) throw new CallerError("conflict", "The upload moved on meanwhile", { reason: "upload_moved_on" });
      return { receivedBytes: end };
    });
  }

  complete(auth: RequestAuth, uploadId: number): Promise<UploadCompleted> {
    return this.#serial(uploadId, async () => {
      const upload = await this.#owned(auth, uploadId);
      if (upload.recordingId !== null) return this.#answer(upload.recordingId);
      if (upload.receivedBytes < upload.sizeBytes) throw new UploadConflictError("incomplete", upload.receivedBytes, `Only ${upload.receivedBytes} of ${upload.sizeBytes} bytes have arrived`);
      const sha256 = await this.#files.sha256(uploadId, upload.sizeBytes);
      if (sha256 !== upload.sha256) {
        await this.#startOver(uploadId);
        throw new UploadChecksumError();
      }
      const call = await this.#callOf(upload);
      const blocker = await recordingBlocker(this.#db, call);
      if (blocker?.status === "not_ended") throw new UploadConflictError("call_not_ended", upload.receivedBytes, "The call has not ended on the server yet: try again shortly");
      if (blocker?.status === "exists") return this.#finish(upload, blocker.recording.id);

      const bytes = await this.#files.read(uploadId, upload.sizeBytes);
      let audio;
      try {
        audio = decodeTwoChannelWav(bytes, `upload ${uploadId}`);
      } catch (error) {
        // Never acceptable as it is: the partial file goes, so a refused upload keeps no disk.
        await this.#startOver(uploadId);
        throw error;
      }
      const result = await storeCallRecording(this.#db, this.#storage, call, audio, bytes, this.#now());
      if (result.status !== "ingested" && result.status !== "exists") throw new Error(`recording of call ${call.id} not stored: ${result.status}`);
      return this.#finish(upload, result.recording.id);
    });
  }

  /** Another user's upload, or another company's, is as unknown as a made-up id; nothing is read or written for it. */
  async #owned(auth: RequestAuth, uploadId: number): Promise<UploadRecord> {
    const upload = await findUpload(this.#db, uploadId);
    if (upload === undefined || upload.companyId !== auth.companyId || upload.userId !== auth.userId) throw noUpload();
    return upload;
  }

  async #callOf(upload: UploadRecord): Promise<RecordedCall> {
    const row = await this.#db("calls").where({ id: upload.callId }).first<{ pbx_uniqueid: string; status: string } | undefined>("pbx_uniqueid", "status");
    if (row === undefined) throw noUpload();
    return { id: upload.callId, companyId: upload.companyId, userId: upload.userId, pbxUniqueid: row.pbx_uniqueid, status: row.status };
  }

  async #finish(upload: UploadRecord, recordingId: number): Promise<UploadCompleted> {
    await markUploadCompleted(this.#db, upload.id, recordingId, this.#now());
    await this.#files.remove(upload.id);
    return this.#answer(recordingId);
  }

  async #answer(recordingId: number): Promise<UploadCompleted> {
    const recording = await findRecording(this.#db, recordingId);
    if (recording === undefined) throw new CallerError("not_found", "The upload's recording is gone");
    return { recordingId: String(toInt(recording.id)), sha256: recording.sha256 };
  }

  async #startOver(uploadId: number): Promise<void> {
    await resetUpload(this.#db, uploadId, this.#now());
    await this.#files.remove(uploadId);
  }

  #serial<T>(uploadId: number, task: () => Promise<T>): Promise<T> {
    const previous = this.#busy.get(uploadId) ?? Promise.resolve();
    const run = previous.then(task, task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.#busy.set(uploadId, settled);
    void settled.then(() => {
      if (this.#busy.get(uploadId) === settled) this.#busy.delete(uploadId);
    });
    return run;
  }
}
