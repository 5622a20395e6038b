import { afterEach, describe, expect, it, vi } from "vitest";
import { defaultRecordingSettings, type RecordingSettings } from "../../src-shared/server-api/recordings";
import type { Company } from "../../src-shared/domain/company";
import type { CallerApi } from "../bridge/api";
import type { CallState } from "../phone/call-state";
import type { Capture, StartCapture } from "../phone/desktop-recorder-capture";
import { desktopRecorderFor } from "../phone/desktop-recorder";
import type { Phone } from "../phone/phone";
import { PhoneContext } from "../phone/phone-context";
import { click, render, settle } from "./credits/test-harness";
import { RecordingAdmin } from "./company/recording-admin";
import { RecordingCallControls } from "./recording-controls";

afterEach(() => {
  document.body.innerHTML = "";
});

const policy: RecordingSettings = { ...defaultRecordingSettings, enabled: true, source: "desktop", pauseAllowed: true };
const connected: CallState = { status: "connected", callId: "call-1", number: "+81312345678", dialedAt: 1, connectedAt: 2 };

/** Just what the call screen reads of a Phone, on a call that is already answered. */
function answeredPhone(): Phone {
  const snapshot = { call: connected };
  const fake = {
    subscribe: () => () => undefined,
    snapshot: () => snapshot,
    callAskedToRecord: true,
    callMedia: { microphone: null, remote: null },
  };
  return fake as unknown as Phone;
}

function api(extra: Partial<CallerApi> = {}): Partial<CallerApi> {
  return {
    getRecordingPolicy: () => Promise.resolve(policy),
    startDesktopRecording: () => Promise.resolve({ ok: true }),
    appendDesktopRecording: () => Promise.resolve({ ok: true }),
    stopDesktopRecording: () => Promise.resolve({ ok: true }),
    ...extra,
  };
}

const paused: boolean[] = [];
const fakeCapture: StartCapture = () => {
  const capture: Capture = { sampleRate: 16_000, setPaused: (p) => paused.push(p), useMedia: () => undefined, stop: () => Promise.resolve() };
  return Promise.resolve(capture);
};

describe("recording on this computer, on the call screen", () => {
  it("says the call is recorded on this computer, and pause writes silence here and is logged on the server", async () => {
    const phone = answeredPhone();
    const setRecordingPaused = vi.fn<CallerApi["setRecordingPaused"]>(() => Promise.reject(new Error("no MixMonitor")));
    const scripted = api({ setRecordingPaused });
    const recorder = desktopRecorderFor(phone, scripted as CallerApi, fakeCapture);
    await recorder.settled();
    const { container } = await render(
      <PhoneContext.Provider value={phone}>
        <RecordingCallControls />
      </PhoneContext.Provider>,
      scripted,
    );
    await settle();
    const state = () => container.querySelector("[data-testid=desktop-recording-state]")?.textContent;
    expect(state()).toBe("Recording on this computer");
    await click(container.querySelector("[data-testid=recording-controls] button"));
    expect(state()).toBe("Recording paused (silence is written on this computer)");
    expect(paused).toEqual([true]);
    expect(setRecordingPaused).toHaveBeenCalledWith({ clientCallId: "call-1", paused: true });
  });

  it("shows in words why the recording stopped", async () => {
    const phone = answeredPhone();
    const scripted = api({ startDesktopRecording: () => Promise.reject(new Error("disk full")) });
    const recorder = desktopRecorderFor(phone, scripted as CallerApi, fakeCapture);
    // The queue retries a refused start a few times before it gives up.
    await vi.waitFor(() => expect(recorder.snapshot().status).toBe("failed"), { timeout: 8000 });
    const { container } = await render(
      <PhoneContext.Provider value={phone}>
        <RecordingCallControls />
      </PhoneContext.Provider>,
      scripted,
    );
    const alert = container.querySelector("[data-testid=desktop-recording-state]");
    expect(alert?.getAttribute("role")).toBe("alert");
    expect(alert?.textContent).toContain("disk full");
  }, 10_000);
});

describe("the admin's recording source", () => {
  it("moves recording from the PBX to users' computers", async () => {
    const updateRecordingSettings = vi.fn<CallerApi["updateRecordingSettings"]>((patch) => Promise.resolve({ ...policy, source: "pbx", ...patch }));
    const { container } = await render(<RecordingAdmin company={{} as Company} />, {
      getRecordingSettings: () => Promise.resolve({ ...policy, source: "pbx" }),
      updateRecordingSettings,
    });
    const radio = (source: string) => container.querySelector<HTMLInputElement>(`[data-testid=recording-source-${source}]`);
    expect([radio("pbx")?.checked, radio("desktop")?.checked]).toEqual([true, false]);
    await click(radio("desktop"));
    expect(updateRecordingSettings).toHaveBeenCalledWith({ source: "desktop" });
    expect(radio("desktop")?.checked).toBe(true);
  });

  it("cannot choose a source while recording is off", async () => {
    const { container } = await render(<RecordingAdmin company={{} as Company} />, { getRecordingSettings: () => Promise.resolve({ ...policy, enabled: false }) });
    expect(container.querySelector<HTMLFieldSetElement>("[data-testid=recording-source]")?.disabled).toBe(true);
  });
});
