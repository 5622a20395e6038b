/** Call recording: the company's policy, playback and download, pause/resume (issue 6, item 3), the offline cache (issue 8, item 4); spread into the company area. Names only. */
export const recordingsMethodNames = [
  "getRecordingSettings",
  "updateRecordingSettings",
  "getRecordingPolicy",
  "listCallRecordings",
  "getRecording",
  "getRecordingAudio",
  "downloadRecording",
  "setRecordingPaused",
  "getRecordingCache",
  "setRecordingCacheLimit",
  "clearRecordingCache",
  "setRecordingPinned",
] as const;
export const recordingsEventNames = [] as const;
