import { join } from "node:path";
import type { ApiHandlers } from "../../../src-shared/api/contract";
import type { recorderMethodNames } from "../../../src-shared/api/areas/recorder-names";
import { drop } from "../../../src-shared/assert-never";
import type { CoreContext } from "../core-context";
import { DesktopRecorder } from "../desktop-recording/desktop-recorder";
import type { UploadSession } from "../desktop-recording/upload-queue";
import { getSession } from "../store/session-repo";

export type RecorderHandlers = Pick<ApiHandlers, (typeof recorderMethodNames)[number]>;

const ok = { ok: true as const };
const recorders = new WeakMap<CoreContext, DesktopRecorder>();

/** The stored session as the upload queue needs it: where, as whom, with which token. */
const sessionOf = (ctx: CoreContext) => async (): Promise<UploadSession | null> => {
  const session = await getSession(ctx.db);
  const signedIn = ctx.session.signedIn;
  return session === null || signedIn === null ? null : { serverUrl: session.serverUrl, userId: session.user.id, baseUrl: session.serverUrl, token: signedIn.token };
};

/**
 * Desktop recording: the renderer's audio to `<dataDir>/recordings-out/`, then a resumable
 * upload. Recordings a crash left open are repaired and queued as the core starts.
 */
export function recorderHandlers(ctx: CoreContext): RecorderHandlers {
  const recorder = new DesktopRecorder({
    db: ctx.db,
    dir: join(ctx.options.dataDir, "recordings-out"),
    session: sessionOf(ctx),
    emit: (upload) => ctx.events.emit("recordingUploadChanged", upload),
    log: (message, error) => console.error(`[core] ${message}`, error),
  });
  recorders.set(ctx, recorder);
  drop(recorder.recover(), (error) => console.error("[core] desktop recordings: recovery failed", error));
  // Signed in (again): recordings waiting for this user can go.
  ctx.events.on("sessionChanged", () => recorder.kick());

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

/** For the core's close: open files get their final header, the queue stops (its timers are unref'd either way). */
export async function closeRecorder(ctx: CoreContext): Promise<void> {
  await recorders.get(ctx)?.close();
}
