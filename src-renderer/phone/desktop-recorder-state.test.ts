import { describe, expect, it } from "vitest";
import { desktopRecordingTransition, recordingOff, type DesktopRecording, type DesktopRecordingEvent } from "./desktop-recorder-state";

const run = (events: DesktopRecordingEvent[], from: DesktopRecording = recordingOff): DesktopRecording => events.reduce(desktopRecordingTransition, from);

describe("desktop recording state", () => {
  it("starts, pauses, resumes and stops for one call", () => {
    expect(run([{ type: "start", callId: "c1" }, { type: "started" }, { type: "pause" }, { type: "resume" }, { type: "stop" }, { type: "stopped" }])).toEqual({ status: "stopped", callId: "c1" });
  });

  it("a failure keeps the call and the reason, and the next call can start afresh", () => {
    const failed = run([{ type: "start", callId: "c1" }, { type: "fail", error: "gone" }]);
    expect(failed).toEqual({ status: "failed", callId: "c1", error: "gone" });
    expect(run([{ type: "start", callId: "c2" }], failed)).toEqual({ status: "starting", callId: "c2" });
  });

  it("refuses moves that make no sense", () => {
    expect(() => run([{ type: "pause" }])).toThrow(/pause while off/);
    expect(() => run([{ type: "start", callId: "c1" }, { type: "start", callId: "c2" }])).toThrow(/start while starting/);
    expect(() => run([{ type: "start", callId: "c1" }, { type: "started" }, { type: "stop" }, { type: "pause" }])).toThrow(/pause while stopping/);
    expect(() => run([{ type: "fail", error: null }])).toThrow(/fail while off/);
  });
});
