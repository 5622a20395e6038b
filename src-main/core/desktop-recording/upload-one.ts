import { open, rm } from "node:fs/promises";
import { assertNever } from "../../../src-shared/assert-never";
import { CallerError } from "../../../src-shared/errors";
import { uploadClient, type UploadAuth, type UploadReply } from "./upload-client";
import type { LocalUpload } from "./uploads-repo";
import type { UploadConflict } from "../../../src-shared/server-api/recordings";

export const uploadChunkBytes = 256 * 1024;

/**
 * How one try ended: the server confirmed the same sha256 (and the file is gone), a later try may pass,
 * or none ever will. The error carries a reason where one is known, for the app's words.
 */
export type UploadOutcome =
  | { kind: "confirmed" }
  | { kind: "deferred"; error: CallerError; checksumMismatch?: boolean }
  | { kind: "refused"; error: CallerError };

export interface UploadStep {
  auth: UploadAuth;
  signal: AbortSignal;
  /** The server's upload id and how much it holds, after each answer that moves it. */
  progress(fields: { uploadId?: string | null; sentBytes: number }): Promise<void>;
}

const deferred = (error: CallerError): UploadOutcome => ({ kind: "deferred", error });
const interrupted = (message: string): UploadOutcome => deferred(new CallerError("internal", message, { reason: "upload_interrupted" }));
const keptHere = (reason: "recording_differs_on_server" | "recording_not_closed" | "recording_file_unreadable", message: string): UploadOutcome => ({
  kind: "refused",
  error: new CallerError("internal", message, { reason }),
});

/**
 * A refusal that no retry can change; everything else (offline, 5xx, signed out, rate limits) is
 * tried again later. A 404 is final only for the start (no such call of this user's): mid-upload it
 * means the server lost the upload, and the next try starts a new one.
 */
function fromRefusal(reply: Exclude<UploadReply<unknown>, { kind: "ok" | "conflict" }>, step: "start" | "chunk" | "complete"): UploadOutcome {
  switch (reply.kind) {
    case "unreachable":
      return deferred(new CallerError("server_unreachable", `The server cannot be reached: ${reply.message}`));
    case "checksum_mismatch":
      return { kind: "deferred", error: new CallerError("bad_request", reply.message, { reason: "upload_checksum_mismatch" }), checksumMismatch: true };
    case "refused":
      if (reply.status === 400 || reply.status === 403 || reply.status === 413 || (reply.status === 404 && step === "start")) return { kind: "refused", error: reply.error };
      return deferred(reply.error);
    default:
      return assertNever(reply, "upload reply");
  }
}

/** A 409 the next try gets past: the server's call has not ended yet, or the upload moved on meanwhile. */
function fromConflict(conflict: UploadConflict): UploadOutcome {
  return deferred(new CallerError("conflict", conflict.message, { reason: conflict.reason === "call_not_ended" ? "recording_call_not_ended" : "upload_moved_on" }));
}

async function readChunk(path: string, offset: number, length: number): Promise<Buffer> {
  const file = await open(path, "r");
  try {
    const bytes = Buffer.alloc(length);
    const { bytesRead } = await file.read(bytes, 0, length, offset);
    if (bytesRead !== length) throw new Error(`the file ended at ${offset + bytesRead} of ${offset + length}`);
    return bytes;
  } finally {
    await file.close();
  }
}

/** The server holds this exact file: only now may the local copy go. */
async function confirmed(upload: LocalUpload, sha256: string): Promise<UploadOutcome> {
  if (sha256 !== upload.sha256) return keptHere("recording_differs_on_server", "The server holds a different recording of this call; this one is kept on this computer");
  await rm(upload.path, { force: true });
  return { kind: "confirmed" };
}

/**
 * One try at one recording: start (or find) the server's upload, send from the
 * offset it holds in 256 KiB chunks, then complete. Bounded: a few passes over
 * the file at most, whatever the server answers.
 */
export async function uploadOnce(upload: LocalUpload, step: UploadStep): Promise<UploadOutcome> {
  const { auth, signal } = step;
  if (upload.sha256 === null || upload.sizeBytes === null) return keptHere("recording_not_closed", "The recording was never closed");
  const size = upload.sizeBytes;
  const started = await uploadClient.start(auth, { clientCallId: upload.clientCallId, sizeBytes: size, sha256: upload.sha256 }, signal);
  if (started.kind === "conflict") return fromConflict(started.conflict);
  if (started.kind !== "ok") return fromRefusal(started, "start");
  if (started.value.completed !== null) return confirmed(upload, started.value.completed.sha256);
  const uploadId = started.value.uploadId;
  if (uploadId === null) return interrupted("The server named no upload");
  let offset = started.value.receivedBytes;
  await step.progress({ uploadId, sentBytes: offset });

  const maxRequests = 3 * Math.ceil(size / uploadChunkBytes) + 10;
  for (let request = 0; request < maxRequests; request += 1) {
    if (signal.aborted) return interrupted("The app is closing");
    if (offset < size) {
      let bytes: Buffer;
      try {
        bytes = await readChunk(upload.path, offset, Math.min(uploadChunkBytes, size - offset));
      } catch (error) {
        return keptHere("recording_file_unreadable", `The recording on this computer cannot be read: ${error instanceof Error ? error.message : String(error)}`);
      }
      const sent = await uploadClient.chunk(auth, uploadId, offset, bytes, signal);
      if (sent.kind === "ok") offset = sent.value.receivedBytes;
      else if (sent.kind === "conflict") offset = sent.conflict.receivedBytes;
      else return fromRefusal(sent, "chunk");
      await step.progress({ sentBytes: offset });
      continue;
    }
    const done = await uploadClient.complete(auth, uploadId, signal);
    if (done.kind === "ok") return confirmed(upload, done.value.sha256);
    if (done.kind === "conflict") {
      if (done.conflict.reason === "call_not_ended") return fromConflict(done.conflict);
      offset = done.conflict.receivedBytes;
      await step.progress({ sentBytes: offset });
      continue;
    }
    // After a checksum mismatch the server starts over at 0: so does the next try (a bounded number of times).
    if (done.kind === "checksum_mismatch") await step.progress({ sentBytes: 0 });
    return fromRefusal(done, "complete");
  }
  return interrupted("The upload did not finish in this try");
}
