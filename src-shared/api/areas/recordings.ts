import { z } from "zod";
import { ClientCallId } from "../../server-api/calls";
import { PauseReply, RecordingMeta, RecordingSettings, RecordingSettingsPatch, RecordingsReply } from "../../server-api/recordings";
import { Empty } from "../common-schemas";
import type { recordingsEventNames, recordingsMethodNames } from "./recordings-names";

const RecordingId = z.strictObject({ id: z.string().regex(/^[1-9][0-9]{0,11}$/) });

/** WAV bytes for the player (the renderer makes a blob: URL; the core keeps the token, so the renderer never fetches the server). */
export const RecordingAudio = z.object({ mime: z.literal("audio/wav"), base64: z.string(), fileName: z.string() });
export type RecordingAudio = z.infer<typeof RecordingAudio>;

/** Call recording (issue 6, item 3). The server checks every access; these only carry it. */
export const recordingsMethods = {
  /** Admin: the company's policy. */
  getRecordingSettings: { request: Empty, response: RecordingSettings },
  updateRecordingSettings: { request: RecordingSettingsPatch, response: RecordingSettings },
  /** Any user: the policy as the call screen needs it (enforced? pause allowed?). */
  getRecordingPolicy: { request: Empty, response: RecordingSettings },
  /** The recordings of the history's calls (server call ids), one request for a page. */
  listCallRecordings: { request: z.strictObject({ callIds: z.array(z.string().regex(/^[0-9]{1,12}$/)).max(500) }), response: RecordingsReply },
  getRecording: { request: RecordingId, response: RecordingMeta },
  getRecordingAudio: { request: RecordingId, response: RecordingAudio },
  /** The same bytes through the download URL: refused (forbidden) unless the user may download. */
  downloadRecording: { request: RecordingId, response: RecordingAudio },
  setRecordingPaused: { request: z.strictObject({ clientCallId: ClientCallId, paused: z.boolean() }), response: PauseReply },
} as const satisfies Record<(typeof recordingsMethodNames)[number], { request: z.ZodType; response: z.ZodType }>;

export const recordingsEvents = {} as const satisfies Record<(typeof recordingsEventNames)[number], z.ZodType>;
