import type { ApiHandlers } from "../../../src-shared/api/contract";
import type { recordingsMethodNames } from "../../../src-shared/api/areas/recordings-names";
import { CallerError, isErrorCode } from "../../../src-shared/errors";
import { PauseReply, RecordingMeta, RecordingSettings, RecordingsReply, recordingPaths } from "../../../src-shared/server-api/recordings";
import type { CoreContext } from "../core-context";

export type RecordingsHandlers = Pick<ApiHandlers, (typeof recordingsMethodNames)[number]>;

/** A recording is at most a few tens of MB (10 min of 2 × 8 kHz × 16 bit ≈ 19 MB): fetched whole, within a minute. */
const audioTimeoutMs = 60_000;

const withId = (path: string, id: string): string => path.replace(":id", encodeURIComponent(id));

/** GET of a WAV as the signed-in user; errors as the JSON client reports them. */
async function fetchAudio(ctx: CoreContext, path: string): Promise<{ bytes: Buffer; fileName: string | null }> {
  const current = ctx.session.signedIn;
  if (!current) throw new CallerError("not_signed_in", "Sign in first.");
  let response: Response;
  try {
    response = await fetch(`${current.client.baseUrl}${path}`, { headers: { authorization: `Bearer ${current.token}` }, signal: AbortSignal.timeout(audioTimeoutMs) });
  } catch (error) {
    throw new CallerError("server_unreachable", `Cannot reach ${current.client.baseUrl}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { code?: unknown; message?: unknown };
    throw new CallerError(isErrorCode(body.code) ? body.code : "internal", typeof body.message === "string" ? body.message : `HTTP ${response.status}`);
  }
  const disposition = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "");
  return { bytes: Buffer.from(await response.arrayBuffer()), fileName: disposition?.[1] ?? null };
}

export function recordingsHandlers(ctx: CoreContext): RecordingsHandlers {
  const { session } = ctx;
  return {
    getRecordingSettings: () => session.request(RecordingSettings, "GET", recordingPaths.adminSettings),
    updateRecordingSettings: (patch) => session.request(RecordingSettings, "PATCH", recordingPaths.adminSettings, patch),
    getRecordingPolicy: () => session.request(RecordingSettings, "GET", recordingPaths.settings),
    async listCallRecordings({ callIds }) {
      if (callIds.length === 0) return { recordings: [] };
      return session.request(RecordingsReply, "GET", `${recordingPaths.list}?callIds=${callIds.join(",")}`);
    },
    getRecording: ({ id }) => session.request(RecordingMeta, "GET", withId(recordingPaths.one, id)),
    async getRecordingAudio({ id }) {
      const { bytes } = await fetchAudio(ctx, withId(recordingPaths.audio, id));
      return { mime: "audio/wav", base64: bytes.toString("base64"), fileName: `recording-${id}.wav` };
    },
    async downloadRecording({ id }) {
      const { bytes, fileName } = await fetchAudio(ctx, withId(recordingPaths.download, id));
      return { mime: "audio/wav", base64: bytes.toString("base64"), fileName: fileName ?? `recording-${id}.wav` };
    },
    setRecordingPaused: ({ clientCallId, paused }) =>
      session.request(PauseReply, "POST", (paused ? recordingPaths.pause : recordingPaths.resume).replace(":clientCallId", clientCallId)),
  };
}
