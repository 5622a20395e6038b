import type { ApiHandlers } from "../../../src-shared/api/contract";
import type { recordingsMethodNames } from "../../../src-shared/api/areas/recordings-names";
import type { ListedRecording, PlaybackAudio } from "../../../src-shared/api/areas/recordings";
import { CallerError, type ErrorCode } from "../../../src-shared/errors";
import { PauseReply, RecordingMeta, RecordingSettings, RecordingsReply, recordingPaths } from "../../../src-shared/server-api/recordings";
import type { CoreContext } from "../core-context";
import { offlineStateOf } from "../recording-cache/cache-repo";
import type { RecordingCache } from "../recording-cache/recording-cache";
import { fetchServerAudio } from "../recording-cache/server-audio";

export type RecordingsHandlers = Pick<ApiHandlers, (typeof recordingsMethodNames)[number]>;

const withId = (path: string, id: string): string => path.replace(":id", encodeURIComponent(id));
const hasCode = (error: unknown, ...codes: ErrorCode[]): boolean => error instanceof CallerError && codes.includes(error.code);
const notKept = (what: string) => new CallerError("server_unreachable", `The company server cannot be reached and this recording is not kept on this computer, so it cannot be ${what}.`);
const wav = (bytes: Buffer, fileName: string) => ({ mime: "audio/wav" as const, base64: bytes.toString("base64"), fileName });
/** The name the server's download gives, for a download served from the cache. */
const downloadName = (meta: { id: string; callId: string }) => `call-${meta.callId}-recording-${meta.id}.wav`;

/**
 * Playback, download and the offline cache. Online the server decides every
 * access and the cache follows its answers; when it cannot be reached, the
 * cache answers with what it last heard (a download only if it last allowed one).
 */
export function recordingsHandlers(ctx: CoreContext, cache: RecordingCache): RecordingsHandlers {
  const { session } = ctx;
  const inFlight = new Map<string, Promise<PlaybackAudio>>();

  type Fetched = { audio: PlaybackAudio; refusal: { limitBytes: number; pinnedBytes: number } | null };
  const fetchAndKeep = async (id: string, pin: boolean): Promise<Fetched> => {
    const meta = await session.request(RecordingMeta, "GET", withId(recordingPaths.one, id));
    const { bytes } = await fetchServerAudio(session, withId(recordingPaths.audio, id));
    const kept = await cache.put(meta, bytes, pin);
    const audio = wav(bytes, `recording-${id}.wav`);
    if (kept.kept) return { audio: { ...audio, offline: kept.pinned ? "pinned" : "cached", cacheProblem: null }, refusal: null };
    const refusal = kept.problem === "too_large" ? { limitBytes: kept.limitBytes, pinnedBytes: kept.pinnedBytes } : null;
    return { audio: { ...audio, offline: "none", cacheProblem: kept.problem }, refusal };
  };

  const playback = async (id: string): Promise<PlaybackAudio> => {
    const hit = await cache.read(id);
    if (hit !== null) return { ...wav(hit.bytes, `recording-${id}.wav`), offline: offlineStateOf(hit.cached), cacheProblem: null };
    try {
      return (await fetchAndKeep(id, false)).audio;
    } catch (error) {
      throw hasCode(error, "server_unreachable") ? notKept("played") : error;
    }
  };

  return {
    getRecordingSettings: () => session.request(RecordingSettings, "GET", recordingPaths.adminSettings),
    updateRecordingSettings: (patch) => session.request(RecordingSettings, "PATCH", recordingPaths.adminSettings, patch),
    getRecordingPolicy: () => session.request(RecordingSettings, "GET", recordingPaths.settings),
    async listCallRecordings({ callIds }) {
      if (callIds.length === 0) return { recordings: [] };
      let listed: ListedRecording[];
      try {
        const reply = await session.request(RecordingsReply, "GET", `${recordingPaths.list}?callIds=${callIds.join(",")}`);
        await cache.refresh(callIds, reply.recordings);
        const kept = new Map((await cache.forCalls(callIds)).map((c) => [c.meta.id, c]));
        listed = reply.recordings.map((r) => ({ ...r, offline: offlineStateOf(kept.get(r.id)) }));
      } catch (error) {
        if (!hasCode(error, "server_unreachable")) throw error;
        listed = (await cache.forCalls(callIds)).map((c) => ({ id: c.meta.id, callId: c.meta.callId, durationMs: c.meta.durationMs, canDownload: c.meta.canDownload, offline: offlineStateOf(c) }));
      }
      return { recordings: listed };
    },
    async getRecording({ id }) {
      try {
        const meta = await session.request(RecordingMeta, "GET", withId(recordingPaths.one, id));
        await cache.setCanDownload(id, meta.canDownload);
        return meta;
      } catch (error) {
        if (hasCode(error, "not_found", "forbidden")) await cache.forget([id]);
        if (!hasCode(error, "server_unreachable")) throw error;
        const cached = await cache.find(id);
        if (cached === undefined) throw notKept("played");
        return cached.meta;
      }
    },
    getRecordingAudio({ id }) {
      // The player asks for meta and audio together, and two players may share a recording: one fetch each.
      const pending = inFlight.get(id) ?? playback(id).finally(() => inFlight.delete(id));
      inFlight.set(id, pending);
      return pending;
    },
    async downloadRecording({ id }) {
      try {
        const { bytes, fileName } = await fetchServerAudio(session, withId(recordingPaths.download, id));
        await cache.setCanDownload(id, true);
        return wav(bytes, fileName ?? `recording-${id}.wav`);
      } catch (error) {
        if (hasCode(error, "forbidden")) await cache.setCanDownload(id, false);
        if (!hasCode(error, "server_unreachable")) throw error;
      }
      const hit = await cache.read(id);
      if (hit === null) throw notKept("downloaded");
      // The company's download setting holds offline too, as the server last stated it.
      if (!hit.cached.meta.canDownload) throw new CallerError("forbidden", "Your company does not allow you to download this recording.");
      return wav(hit.bytes, downloadName(hit.cached.meta));
    },
    setRecordingPaused: ({ clientCallId, paused }) =>
      session.request(PauseReply, "POST", (paused ? recordingPaths.pause : recordingPaths.resume).replace(":clientCallId", clientCallId)),
    getRecordingCache: () => cache.state(),
    setRecordingCacheLimit: ({ limitBytes }) => cache.setLimit(limitBytes),
    clearRecordingCache: () => cache.clear(),
    async setRecordingPinned({ id, pinned }) {
      const done = await cache.setPinned(id, pinned);
      if (done !== null) return done;
      if (!pinned) return { ok: true, offline: "none" };
      let fetched: Fetched;
      try {
        fetched = await fetchAndKeep(id, true);
      } catch (error) {
        throw hasCode(error, "server_unreachable") ? notKept("kept offline") : error;
      }
      if (fetched.refusal) return { ok: false, reason: "over_limit", ...fetched.refusal };
      if (fetched.audio.cacheProblem === "checksum_mismatch") return { ok: false, reason: "checksum_mismatch" };
      return { ok: true, offline: fetched.audio.offline };
    },
  };
}
