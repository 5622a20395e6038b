import { describe, expect, it } from "vitest";
import { defaultRecordingSettings, type RecordingSettings } from "../../src-shared/server-api/recordings";
import { idleCall, type CallState } from "./call-state";
import type { CallMedia, Capture, StartCapture } from "./desktop-recorder-capture";
import { DesktopRecorder, type RecordablePhone, type RecorderApi } from "./desktop-recorder";

const desktopPolicy: RecordingSettings = { ...defaultRecordingSettings, enabled: true, source: "desktop" };

class FakePhone implements RecordablePhone {
  call: CallState = idleCall;
  callAskedToRecord = true;
  callMedia: CallMedia = { microphone: null, remote: null };
  private readonly listeners = new Set<() => void>();
  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  snapshot = () => ({ call: this.call });
  set(call: CallState): void {
    this.call = call;
    for (const listener of this.listeners) listener();
  }
  dial(callId: string): void {
    this.set({ status: "dialing", callId, number: "+81312345678", dialedAt: 1 });
  }
  answer(): void {
    if (this.call.status === "idle") throw new Error("no call");
    this.set({ ...this.call, status: "connected", connectedAt: 2 });
  }
  end(by: "local" | "remote"): void {
    if (this.call.status === "idle") throw new Error("no call");
    this.set({ ...this.call, status: "ended", connectedAt: 2, endedAt: 3, end: { by } });
  }
}

/** A capture that emits one chunk per call to `emit`, and records what was asked of it. */
function fakeCapture(log: string[]) {
  let emit: ((pcm: ArrayBuffer) => void) | null = null;
  const startCapture: StartCapture = (_media, onChunk) => {
    emit = onChunk;
    log.push("capture");
    const capture: Capture = {
      sampleRate: 16_000,
      setPaused: (paused) => log.push(paused ? "paused" : "resumed"),
      useMedia: () => undefined,
      stop: () => {
        onChunk(new Int16Array([7, 7]).buffer);
        log.push("capture stopped");
        return Promise.resolve();
      },
    };
    return Promise.resolve(capture);
  };
  return { startCapture, emit: (value: number) => emit?.(new Int16Array([value, value]).buffer) };
}

function fakeApi(log: string[], policy: RecordingSettings, options: { refuseStart?: boolean } = {}): RecorderApi {
  return {
    getRecordingPolicy: () => Promise.resolve(policy),
    startDesktopRecording: ({ clientCallId, sampleRate }) => {
      log.push(`start ${clientCallId} ${sampleRate}`);
      return options.refuseStart ? Promise.reject(new Error("not built yet")) : Promise.resolve({ ok: true });
    },
    appendDesktopRecording: ({ seq }) => {
      log.push(`append ${seq}`);
      return Promise.resolve({ ok: true });
    },
    stopDesktopRecording: ({ clientCallId }) => {
      log.push(`stop ${clientCallId}`);
      return Promise.resolve({ ok: true });
    },
  };
}

async function answered(phone: FakePhone, recorder: DesktopRecorder): Promise<void> {
  phone.dial("c1");
  phone.answer();
  await recorder.settled();
  await new Promise((resolve) => setTimeout(resolve, 0));
}

describe("the desktop recorder", () => {
  it("records an answered call when the company records on desktops, and closes it when the other party hangs up", async () => {
    const log: string[] = [];
    const phone = new FakePhone();
    const capture = fakeCapture(log);
    const recorder = new DesktopRecorder(phone, fakeApi(log, desktopPolicy), capture.startCapture);
    await answered(phone, recorder);
    expect(recorder.snapshot()).toEqual({ status: "recording", callId: "c1" });
    capture.emit(1);
    capture.emit(2);
    recorder.setPaused(true);
    expect(recorder.snapshot().status).toBe("paused");
    phone.end("remote");
    await recorder.settled();
    const core = log.filter((l) => /^(start|append|stop) /.test(l));
    expect(core).toEqual(["start c1 16000", "append 0", "append 1", "append 2", "stop c1"]);
    expect(log.filter((l) => !core.includes(l))).toEqual(["capture", "paused", "capture stopped"]);
    expect(recorder.snapshot()).toEqual({ status: "stopped", callId: "c1" });
  });

  it("records nothing when the company records on the PBX, or the user turned recording off and it is not enforced", async () => {
    for (const [policy, asked] of [
      [{ ...desktopPolicy, source: "pbx" }, true],
      [desktopPolicy, false],
      [{ ...desktopPolicy, enabled: false }, true],
    ] as const) {
      const log: string[] = [];
      const phone = new FakePhone();
      phone.callAskedToRecord = asked;
      const recorder = new DesktopRecorder(phone, fakeApi(log, policy), fakeCapture(log).startCapture);
      await answered(phone, recorder);
      expect(log).toEqual([]);
      expect(recorder.snapshot().status).toBe("off");
    }
  });

  it("records when the company enforces it even if the user unticked the box", async () => {
    const log: string[] = [];
    const phone = new FakePhone();
    phone.callAskedToRecord = false;
    const recorder = new DesktopRecorder(phone, fakeApi(log, { ...desktopPolicy, enforced: true }), fakeCapture(log).startCapture);
    await answered(phone, recorder);
    expect(recorder.snapshot().status).toBe("recording");
  });

  it("shows a refused start as a failure and releases the audio", async () => {
    const log: string[] = [];
    const phone = new FakePhone();
    const recorder = new DesktopRecorder(phone, fakeApi(log, desktopPolicy, { refuseStart: true }), fakeCapture(log).startCapture, { retryDelaysMs: [] });
    await answered(phone, recorder);
    await recorder.settled();
    const state = recorder.snapshot();
    expect(state.status).toBe("failed");
    expect(String(state.status === "failed" && state.error)).toContain("not built yet");
    expect(log).toContain("capture stopped");
    expect(log.filter((l) => l.startsWith("append"))).toEqual([]);
  });

  it("stops on the user's own hang-up, once, and starts afresh for the next call", async () => {
    const log: string[] = [];
    const phone = new FakePhone();
    const recorder = new DesktopRecorder(phone, fakeApi(log, desktopPolicy), fakeCapture(log).startCapture);
    await answered(phone, recorder);
    phone.set({ ...phone.call, status: "ending", connectedAt: 2 } as CallState);
    phone.end("local");
    await recorder.settled();
    expect(log.filter((l) => l.startsWith("stop"))).toEqual(["stop c1"]);
    phone.dial("c2");
    phone.answer();
    await recorder.settled();
    expect(recorder.snapshot()).toEqual({ status: "recording", callId: "c2" });
  });

  it("closes the file even when the call ends while the audio is still starting", async () => {
    const log: string[] = [];
    const phone = new FakePhone();
    const { startCapture } = fakeCapture(log);
    const slowCapture: StartCapture = (media, onChunk) => new Promise((resolve) => setTimeout(() => resolve(startCapture(media, onChunk)), 30));
    const recorder = new DesktopRecorder(phone, fakeApi(log, desktopPolicy), slowCapture);
    phone.dial("c1");
    phone.answer();
    await new Promise((resolve) => setTimeout(resolve, 5));
    phone.end("remote");
    await new Promise((resolve) => setTimeout(resolve, 60));
    await recorder.settled();
    expect(log).toEqual(["capture", "start c1 16000", "capture stopped", "append 0", "stop c1"]);
    expect(recorder.snapshot()).toEqual({ status: "stopped", callId: "c1" });
  });
});
