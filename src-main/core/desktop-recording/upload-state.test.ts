import { describe, expect, it } from "vitest";
import { RecordingUploadState } from "../../../src-shared/api/areas/recorder";
import { nextUploadState, type UploadEvent } from "./upload-state";

const events: UploadEvent[] = ["stopped", "picked", "deferred", "confirmed", "refused", "interrupted", "retried"];

describe("a desktop recording's upload state", () => {
  it("goes recording → waiting → uploading → done, and back to waiting when a try fails for now or the app stopped", () => {
    expect(nextUploadState("recording", "stopped")).toBe("waiting");
    expect(nextUploadState("waiting", "picked")).toBe("uploading");
    expect(nextUploadState("uploading", "deferred")).toBe("waiting");
    expect(nextUploadState("uploading", "interrupted")).toBe("waiting");
    expect(nextUploadState("uploading", "confirmed")).toBe("done");
  });

  it("fails only on a refusal, and leaves failed only by the user's retry", () => {
    expect(nextUploadState("uploading", "refused")).toBe("failed");
    expect(nextUploadState("recording", "refused")).toBe("failed");
    for (const event of events) {
      if (event === "retried") expect(nextUploadState("failed", event)).toBe("waiting");
      else expect(() => nextUploadState("failed", event)).toThrow(/cannot go from failed/);
    }
  });

  it("never leaves done, and refuses every move it does not list", () => {
    const legal = new Set(["recording:stopped", "recording:refused", "waiting:picked", "waiting:retried", "waiting:refused", "uploading:deferred", "uploading:interrupted", "uploading:confirmed", "uploading:refused", "failed:retried"]);
    for (const state of RecordingUploadState.options) {
      for (const event of events) {
        if (legal.has(`${state}:${event}`)) expect(() => nextUploadState(state, event)).not.toThrow();
        else expect(() => nextUploadState(state, event), `${state} on ${event}`).toThrow();
      }
    }
  });
});
