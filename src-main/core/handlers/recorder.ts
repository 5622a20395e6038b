import type { ApiHandlers } from "../../../src-shared/api/contract";
import type { recorderMethodNames } from "../../../src-shared/api/areas/recorder-names";
import type { DesktopRecorder } from "../desktop-recording/desktop-recorder";

export type RecorderHandlers = Pick<ApiHandlers, (typeof recorderMethodNames)[number]>;

const ok = { ok: true as const };

/** Desktop recording: the renderer's audio to the recorder, which writes and uploads it. */
export function recorderHandlers(recorder: DesktopRecorder): RecorderHandlers {
  return {
    startDesktopRecording: async ({ clientCallId, sampleRate }) => {
      await recorder.start(clientCallId, sampleRate);
      return ok;
    },
    appendDesktopRecording: async ({ clientCallId, seq, pcm }) => {
      await recorder.append(clientCallId, seq, pcm);
      return ok;
    },
    stopDesktopRecording: async ({ clientCallId }) => {
      await recorder.stop(clientCallId);
      return ok;
    },
    listRecordingUploads: async () => ({ uploads: await recorder.list() }),
    retryRecordingUpload: async ({ clientCallId }) => {
      await recorder.retry(clientCallId);
      return ok;
    },
  };
}

