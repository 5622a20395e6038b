import { z } from "zod";
import { ClientCallId } from "../../server-api/calls";
import { PauseReply, RecordingMeta, RecordingSettings, RecordingSettingsPatch, RecordingSummary } from "../../server-api/recordings";
import { Empty } from "../common-schemas";
import type { recordingsEventNames, recordingsMethodNames } from "./recordings-names";

const RecordingId = z.strictObject({ id: z.string().regex(/^[1-9][0-9]{0,11}$/) });

/** WAV bytes for the player (the renderer makes a blob: URL; the core keeps the token, so the renderer never fetches the server). */
export const RecordingAudio = z.object({ mime: z.literal("audio/wav"), base64: z.string(), fileName: z.string() });
export type RecordingAudio = z.infer<typeof RecordingAudio>;

export const mib = 1024 * 1024;
export const defaultRecordingCacheLimitBytes = 1024 * mib;
export const minRecordingCacheLimitBytes = 50 * mib;
/** Beyond any disk a laptop has: a typo, not a choice. */
export const maxRecordingCacheLimitBytes = 16 * 1024 * 1024 * mib;

/** Whether the recording's audio is on this computer: kept because it was played (may be evicted), or pinned by the user. */
export const OfflineState = z.enum(["none", "cached", "pinned"]);
export type OfflineState = z.infer<typeof OfflineState>;

/** Why audio that played was not kept: its bytes did not hash to the server's sha256, or it cannot fit beside the pinned ones. */
export const CacheProblem = z.enum(["checksum_mismatch", "too_large"]);
export type CacheProblem = z.infer<typeof CacheProblem>;

export const PlaybackAudio = RecordingAudio.extend({ offline: OfflineState, cacheProblem: CacheProblem.nullable() });
export type PlaybackAudio = z.infer<typeof PlaybackAudio>;

/** A call's recording as history lists it: online the server's answer, offline the cache's copy of it. */
export const ListedRecording = RecordingSummary.extend({ offline: OfflineState });
export type ListedRecording = z.infer<typeof ListedRecording>;
export const ListedRecordingsReply = z.object({ recordings: z.array(ListedRecording) });

export const RecordingCacheState = z.object({
  usedBytes: z.number().int(),
  pinnedBytes: z.number().int(),
  count: z.number().int(),
  pinnedCount: z.number().int(),
  limitBytes: z.number().int(),
});
export type RecordingCacheState = z.infer<typeof RecordingCacheState>;

/** Pinned recordings count toward the limit and are never evicted, so a pin or a lower limit they would not fit in is refused. */
export const OverLimit = z.object({ ok: z.literal(false), reason: z.literal("over_limit"), limitBytes: z.number().int(), pinnedBytes: z.number().int() });
/** A pin that had to fetch the audio also fails when the bytes do not match the server's sha256. */
export const PinReply = z.union([
  z.object({ ok: z.literal(true), offline: OfflineState }),
  OverLimit,
  z.object({ ok: z.literal(false), reason: z.literal("checksum_mismatch") }),
]);
export type PinReply = z.infer<typeof PinReply>;
export const CacheLimitReply = z.discriminatedUnion("ok", [z.object({ ok: z.literal(true), state: RecordingCacheState }), OverLimit]);
export type CacheLimitReply = z.infer<typeof CacheLimitReply>;

/** Call recording (issue 6, item 3) and its offline cache (issue 8, item 4). The server checks every access; these only carry it. */
export const recordingsMethods = {
  /** Admin: the company's policy. */
  getRecordingSettings: { request: Empty, response: RecordingSettings },
  updateRecordingSettings: { request: RecordingSettingsPatch, response: RecordingSettings },
  /** Any user: the policy as the call screen needs it (enforced? pause allowed?). */
  getRecordingPolicy: { request: Empty, response: RecordingSettings },
  /** The recordings of the history's calls (server call ids), one request for a page; offline, the cached ones. */
  listCallRecordings: { request: z.strictObject({ callIds: z.array(z.string().regex(/^[0-9]{1,12}$/)).max(500) }), response: ListedRecordingsReply },
  getRecording: { request: RecordingId, response: RecordingMeta },
  /** From the cache when there; otherwise fetched, checked against the sha256 and kept. */
  getRecordingAudio: { request: RecordingId, response: PlaybackAudio },
  /** The same bytes through the download URL: refused (forbidden) unless the user may download, offline too. */
  downloadRecording: { request: RecordingId, response: RecordingAudio },
  setRecordingPaused: { request: z.strictObject({ clientCallId: ClientCallId, paused: z.boolean() }), response: PauseReply },
  getRecordingCache: { request: Empty, response: RecordingCacheState },
  setRecordingCacheLimit: {
    request: z.strictObject({ limitBytes: z.number().int().min(minRecordingCacheLimitBytes).max(maxRecordingCacheLimitBytes) }),
    response: CacheLimitReply,
  },
  /** Removes every kept recording, pinned ones too. */
  clearRecordingCache: { request: Empty, response: RecordingCacheState },
  /** Pinning fetches the audio when it is not kept yet. */
  setRecordingPinned: { request: z.strictObject({ id: RecordingId.shape.id, pinned: z.boolean() }), response: PinReply },
} as const satisfies Record<(typeof recordingsMethodNames)[number], { request: z.ZodType; response: z.ZodType }>;

export const recordingsEvents = {} as const satisfies Record<(typeof recordingsEventNames)[number], z.ZodType>;
