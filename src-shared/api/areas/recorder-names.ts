/** Recording on the desktop: the renderer's audio to a crash-safe WAV, then a resumable upload (issue 8, item 5). Names only. */
export const recorderMethodNames = [
  "startDesktopRecording",
  "appendDesktopRecording",
  "stopDesktopRecording",
  "listRecordingUploads",
  "retryRecordingUpload",
] as const;
export const recorderEventNames = ["recordingUploadChanged"] as const;
