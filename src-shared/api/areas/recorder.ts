import { z } from "zod";
import { ClientCallId } from "../../server-api/calls";
import { Empty, Ok } from "../common-schemas";
import type { recorderEventNames, recorderMethodNames } from "./recorder-names";

/** Interleaved signed 16-bit little-endian stereo frames (left: the user, right: the other party), base64; at most ~1 s at 48 kHz. */
const PcmChunk = z.string().max(262_144).regex(/^[A-Za-z0-9+/]*={0,2}$/, "base64");

export const RecordingUploadState = z.enum(["recording", "waiting", "uploading", "done", "failed"]);
export type RecordingUploadState = z.infer<typeof RecordingUploadState>;

export const RecordingUpload = z.object({
  clientCallId: ClientCallId,
  state: RecordingUploadState,
  sentBytes: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative(),
  /** Why the last try failed, in words (the upload is retried by itself; `failed` only when the server refused it for good). */
  error: z.string().nullable(),
  startedAt: z.number().int(),
});
export type RecordingUpload = z.infer<typeof RecordingUpload>;

/** Renderer ⇄ core for desktop recording. The renderer only sends audio; the core owns the file and the upload. */
export const recorderMethods = {
  startDesktopRecording: { request: z.strictObject({ clientCallId: ClientCallId, sampleRate: z.number().int().min(8000).max(48_000) }), response: Ok },
  /** `seq` counts chunks from 0: a repeated chunk is ignored, a gap is an error (the file would be wrong). */
  appendDesktopRecording: { request: z.strictObject({ clientCallId: ClientCallId, seq: z.number().int().nonnegative(), pcm: PcmChunk }), response: Ok },
  /** Closes the file and queues its upload. */
  stopDesktopRecording: { request: z.strictObject({ clientCallId: ClientCallId }), response: Ok },
  listRecordingUploads: { request: Empty, response: z.object({ uploads: z.array(RecordingUpload) }) },
  retryRecordingUpload: { request: z.strictObject({ clientCallId: ClientCallId }), response: Ok },
} as const satisfies Record<(typeof recorderMethodNames)[number], { request: z.ZodType; response: z.ZodType }>;

export const recorderEvents = {
  recordingUploadChanged: RecordingUpload,
} as const satisfies Record<(typeof recorderEventNames)[number], z.ZodType>;
