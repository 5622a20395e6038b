/** The capture's messages between the main thread and its AudioWorklet (shared by both bundles, so no DOM or worklet globals here). */
export const recorderProcessorName = "caller-desktop-recorder";

/** Main thread → worklet. */
export type RecorderCommand = { type: "pause"; paused: boolean } | { type: "flush" };

/** Worklet → main thread: a full (or the last, short) chunk of interleaved s16 stereo, and the end of a flush. */
export type RecorderMessage = { type: "chunk"; pcm: ArrayBuffer } | { type: "flushed" };

export interface RecorderProcessorOptions {
  chunkFrames: number;
}
