import { assertNever } from "../../src-shared/assert-never";
import { IllegalTransition } from "./registration-state";

/** One call's recording on this computer, as the call screen shows it. */
export type DesktopRecording =
  | { status: "off" }
  | { status: "starting" | "recording" | "paused" | "stopping" | "stopped"; callId: string }
  | { status: "failed"; callId: string; error: unknown };

export type DesktopRecordingEvent =
  | { type: "start"; callId: string }
  | { type: "started" }
  | { type: "pause" }
  | { type: "resume" }
  | { type: "stop" }
  | { type: "stopped" }
  | { type: "fail"; error: unknown };

export const recordingOff: DesktopRecording = { status: "off" };

/** Capturing (or about to): what pause, resume and stop apply to. */
export function isCapturing(state: DesktopRecording): boolean {
  return state.status === "starting" || state.status === "recording" || state.status === "paused";
}

/** The one way a desktop recording's state changes; illegal moves throw. */
export function desktopRecordingTransition(state: DesktopRecording, event: DesktopRecordingEvent): DesktopRecording {
  const refuse = (): never => {
    throw new IllegalTransition(`desktop recording: ${event.type} while ${state.status}`);
  };
  switch (event.type) {
    case "start":
      return isCapturing(state) || state.status === "stopping" ? refuse() : { status: "starting", callId: event.callId };
    case "started":
      return state.status === "starting" ? { status: "recording", callId: state.callId } : refuse();
    case "pause":
      return state.status === "recording" ? { status: "paused", callId: state.callId } : refuse();
    case "resume":
      return state.status === "paused" ? { status: "recording", callId: state.callId } : refuse();
    case "stop":
      return state.status !== "off" && isCapturing(state) ? { status: "stopping", callId: state.callId } : refuse();
    case "stopped":
      return state.status === "stopping" ? { status: "stopped", callId: state.callId } : refuse();
    case "fail":
      return state.status !== "off" && (isCapturing(state) || state.status === "stopping") ? { status: "failed", callId: state.callId, error: event.error } : refuse();
    default:
      return assertNever(event, "desktop recording event");
  }
}
