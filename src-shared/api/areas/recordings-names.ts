/** Call recording: the company's policy, playback and download, pause/resume (issue 6, item 3); spread into the company area. Names only. */
export const recordingsMethodNames = [
  "getRecordingSettings",
  "updateRecordingSettings",
  "getRecordingPolicy",
  "listCallRecordings",
  "getRecording",
  "getRecordingAudio",
  "downloadRecording",
  "setRecordingPaused",
] as const;
export const recordingsEventNames = [] as const;
