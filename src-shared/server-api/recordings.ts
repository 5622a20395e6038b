import { z } from "zod";
import { ClientCallId } from "./calls";

/** The softphone's per-call choice on its INVITE: "1" record (the default), "0" do not (ignored when the company enforces recording). */
export const recordHeader = "X-Caller-Record";

export const recordingPaths = {
  /** Admin: the company's recording policy (GET, PATCH). */
  adminSettings: "/api/admin/recording-settings",
  /** Any user: the policy as their softphone needs it (enforced? pause allowed?). */
  settings: "/api/recording-settings",
  /** The user's recordings for some of their calls (`?callIds=1,2,3`); admins see the company's. */
  list: "/api/recordings",
  one: "/api/recordings/:id",
  /** Inline audio with Range support: the call's owner and admins. */
  audio: "/api/recordings/:id/audio",
  /** The same bytes as an attachment: admins, and the owner when the company allows it. */
  download: "/api/recordings/:id/download",
  /** The call's owner, during the call; `:clientCallId` is the softphone's X-Caller-Call-Id. */
  pause: "/api/calls/:clientCallId/recording/pause",
  resume: "/api/calls/:clientCallId/recording/resume",
  /** Desktop recordings, by the call's owner after the call: start (or find) an upload, send chunks at `?offset=`, then complete. */
  uploads: "/api/recordings/uploads",
  uploadChunk: "/api/recordings/uploads/:id",
  uploadComplete: "/api/recordings/uploads/:id/complete",
} as const;

/** Where a company's calls are recorded: by the PBX (MixMonitor) or by the desktop app, uploaded after the call. */
export const RecordingSourceKind = z.enum(["pbx", "desktop"]);
export type RecordingSourceKind = z.infer<typeof RecordingSourceKind>;

const recordingSettingsShape = {
  enabled: z.boolean(),
  /** Users cannot turn recording off for a call. */
  enforced: z.boolean(),
  /** The call's owner may download; admins always may. */
  ownerDownload: z.boolean(),
  /** The other party hears an announcement when the call is answered. */
  consentAnnouncement: z.boolean(),
  /** Users may pause and resume a call's recording (card numbers). */
  pauseAllowed: z.boolean(),
  source: RecordingSourceKind,
};

/** `source` defaults to "pbx" so a reply from a server before desktop recording still parses. */
export const RecordingSettings = z.object({ ...recordingSettingsShape, source: RecordingSourceKind.default("pbx") });
export type RecordingSettings = z.infer<typeof RecordingSettings>;

export const defaultRecordingSettings: RecordingSettings = {
  enabled: false,
  enforced: false,
  ownerDownload: false,
  consentAnnouncement: true,
  pauseAllowed: true,
  source: "pbx",
};

// From the shape without the default: a partial with a default would turn every patch into `source: "pbx"`.
export const RecordingSettingsPatch = z.object(recordingSettingsShape).partial().strict();
export type RecordingSettingsPatch = z.infer<typeof RecordingSettingsPatch>;

/** Min/max pairs per bucket, per channel, in [-1, 1]: channel 0 the user, channel 1 the other party. */
export const RecordingPeaks = z.array(z.array(z.tuple([z.number(), z.number()])));
export type RecordingPeaks = z.infer<typeof RecordingPeaks>;

export const RecordingSummary = z.object({
  id: z.string(),
  callId: z.string(),
  durationMs: z.number().int(),
  /** Whether the asking user may download it (playing is allowed whenever they can see it). */
  canDownload: z.boolean(),
});
export type RecordingSummary = z.infer<typeof RecordingSummary>;

export const RecordingMeta = RecordingSummary.extend({
  channels: z.number().int(),
  sampleRate: z.number().int(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  createdAt: z.number().int(),
  peaks: RecordingPeaks,
  /** Every pause and resume of the call's recording, UTC ms. */
  pauses: z.array(z.object({ action: z.enum(["pause", "resume"]), at: z.number().int() })),
});
export type RecordingMeta = z.infer<typeof RecordingMeta>;

export const RecordingsQuery = z.object({ callIds: z.string().regex(/^[0-9]{1,12}(,[0-9]{1,12}){0,499}$/) });
export const RecordingsReply = z.object({ recordings: z.array(RecordingSummary) });
export type RecordingsReply = z.infer<typeof RecordingsReply>;

export const RecordingParams = z.object({ id: z.coerce.number().int().positive().max(2 ** 31) });
export const ClientCallParams = z.object({ clientCallId: ClientCallId });
export const PauseReply = z.object({ paused: z.boolean() });
export type PauseReply = z.infer<typeof PauseReply>;

/** Largest chunk a PUT may carry; the app sends 256 KiB. */
export const maxUploadChunkBytes = 1024 * 1024;
/** Largest recording the server takes: an hour of 48 kHz 16-bit stereo is 691 MB. */
export const maxUploadBytes = 768 * 1024 * 1024;
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, "lowercase hex sha256");

export const UploadCreateBody = z.strictObject({
  clientCallId: ClientCallId,
  sizeBytes: z.number().int().min(45).max(maxUploadBytes),
  sha256: Sha256,
});
export type UploadCreateBody = z.infer<typeof UploadCreateBody>;

export const UploadCompleted = z.object({ recordingId: z.string(), sha256: Sha256 });
export type UploadCompleted = z.infer<typeof UploadCompleted>;

/**
 * The upload and how much of it the server holds; `completed` when the call has its recording already
 * (a replay), then `uploadId` is null if the recording did not come from an upload (the PBX made it).
 */
export const UploadCreateReply = z.object({ uploadId: z.string().nullable(), receivedBytes: z.number().int().nonnegative(), completed: UploadCompleted.nullable() });
export type UploadCreateReply = z.infer<typeof UploadCreateReply>;

export const UploadParams = z.object({ id: z.coerce.number().int().positive().max(2 ** 31) });
export const UploadChunkQuery = z.object({ offset: z.coerce.number().int().nonnegative().max(maxUploadBytes) });
export const UploadChunkReply = z.object({ receivedBytes: z.number().int().nonnegative() });
export type UploadChunkReply = z.infer<typeof UploadChunkReply>;

/**
 * A 409 from the upload routes says why and where the server is: `offset` (send from receivedBytes),
 * `incomplete` (complete before every byte arrived), `call_not_ended` (no final CDR yet: try again later).
 */
export const UploadConflict = z.object({
  code: z.literal("conflict"),
  message: z.string(),
  reason: z.enum(["offset", "incomplete", "call_not_ended"]),
  receivedBytes: z.number().int().nonnegative(),
});
export type UploadConflict = z.infer<typeof UploadConflict>;

/** The 400 of a complete whose bytes do not hash to the declared sha256: the server has started the upload over at 0. */
export const UploadChecksumMismatch = z.object({ code: z.literal("bad_request"), message: z.string(), reason: z.literal("checksum_mismatch") });
export type UploadChecksumMismatch = z.infer<typeof UploadChecksumMismatch>;
