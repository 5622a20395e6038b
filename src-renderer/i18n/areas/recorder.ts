import type { Shape } from "../shape";

/** Recording on the desktop: the call screen's indicator, the uploads list, the admin's source choice. en.ts and ja.ts spread them. */
export const recorderEn = {
  recorder: {
    starting: "Starting the recording on this computer…",
    onThisComputer: "Recording on this computer",
    pausedOnThisComputer: "Recording paused (silence is written on this computer)",
    stopping: "Saving the recording…",
    failed: "Recording on this computer stopped: {{reason}}",
    uploadsTitle: "Recordings from this computer",
    callAt: "Call at {{time}}",
    state: {
      recording: "Recording",
      waiting: "Waiting to upload",
      uploading: "Uploading",
      done: "Uploaded",
      failed: "Upload failed",
    },
    progress: "{{sent}} of {{total}}",
    progressLabel: "Upload progress",
    retry: "Retry upload",
    sourceTitle: "Where calls are recorded",
    sourcePbx: "On the phone system (PBX)",
    sourceDesktop: "On each user's computer, uploaded after the call",
    sourceHint: "Recordings made on a computer are kept there until the server has confirmed them.",
  },
};

export const recorderJa: Shape<typeof recorderEn> = {
  recorder: {
    starting: "このコンピューターで録音を開始しています…",
    onThisComputer: "このコンピューターで録音中",
    pausedOnThisComputer: "録音を一時停止中（このコンピューターには無音を記録しています）",
    stopping: "録音を保存しています…",
    failed: "このコンピューターでの録音が止まりました: {{reason}}",
    uploadsTitle: "このコンピューターの録音",
    callAt: "{{time}} の通話",
    state: {
      recording: "録音中",
      waiting: "アップロード待ち",
      uploading: "アップロード中",
      done: "アップロード済み",
      failed: "アップロード失敗",
    },
    progress: "{{sent}} / {{total}}",
    progressLabel: "アップロードの進み具合",
    retry: "アップロードを再試行",
    sourceTitle: "通話を録音する場所",
    sourcePbx: "電話システム（PBX）",
    sourceDesktop: "各ユーザーのコンピューター（通話後にアップロード）",
    sourceHint: "コンピューターで録音したものは、サーバーが受け取りを確認するまでそのコンピューターに残ります。",
  },
};
