import { useSyncExternalStore } from "react";
import { useApi } from "../api-context";
import { desktopRecorderFor, type DesktopRecorder } from "./desktop-recorder";
import type { DesktopRecording } from "./desktop-recorder-state";
import { usePhone } from "./phone-context";

/** The Phone's desktop recorder (made on first use) and its state, for the call screen. */
export function useDesktopRecorder(): { recorder: DesktopRecorder; recording: DesktopRecording } {
  const recorder = desktopRecorderFor(usePhone(), useApi());
  const recording = useSyncExternalStore(recorder.subscribe, recorder.snapshot);
  return { recorder, recording };
}
