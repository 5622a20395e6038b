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
} as const;

export const RecordingSettings = z.object({
  enabled: z.boolean(),
  /** Users cannot turn recording off for a call. */
  enforced: z.boolean(),
  /** The call's owner may download; admins always may. */
  ownerDownload: z.boolean(),
  /** The other party hears an announcement when the call is answered. */
  consentAnnouncement: z.boolean(),
  /** Users may pause and resume a call's recording (card numbers). */
  pauseAllowed: z.boolean(),
});
export type RecordingSettings = z.infer<typeof RecordingSettings>;

export const defaultRecordingSettings: RecordingSettings = {
  enabled: false,
  enforced: false,
  ownerDownload: false,
  consentAnnouncement: true,
  pauseAllowed: true,
};

export const RecordingSettingsPatch = RecordingSettings.partial().strict();
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
