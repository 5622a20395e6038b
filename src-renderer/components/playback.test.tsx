import { act } from "react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { PlaybackAudio } from "../../src-shared/api/areas/recordings";
import type { RecordingMeta } from "../../src-shared/server-api/recordings";
import { click, render, settle } from "../screens/credits/test-harness";
import { RecordingPlayer } from "../screens/recording-player";

const meta = (id: string): RecordingMeta => ({ id, callId: `c${id}`, durationMs: 3000, canDownload: false, channels: 1, sampleRate: 8000, sizeBytes: 48_044, sha256: "0".repeat(64), createdAt: 1, peaks: [[[0, 0]]], pauses: [] });
const audio: PlaybackAudio = { mime: "audio/wav", base64: btoa("RIFF"), fileName: "r.wav", offline: "cached", cacheProblem: null };

beforeAll(() => {
  URL.createObjectURL = () => "blob:recording";
  URL.revokeObjectURL = () => undefined;
});

afterEach(() => {
  vi.restoreAllMocks();
  document.body.innerHTML = "";
});

/** jsdom plays nothing: play and pause flip `paused` and fire their events as a browser would. */
function fakeMedia(): void {
  const paused = new WeakMap<HTMLMediaElement, boolean>();
  vi.spyOn(HTMLMediaElement.prototype, "paused", "get").mockImplementation(function (this: HTMLMediaElement) {
    return paused.get(this) ?? true;
  });
  vi.spyOn(HTMLMediaElement.prototype, "play").mockImplementation(function (this: HTMLMediaElement) {
    paused.set(this, false);
    this.dispatchEvent(new Event("play"));
    return Promise.resolve();
  });
  vi.spyOn(HTMLMediaElement.prototype, "pause").mockImplementation(function (this: HTMLMediaElement) {
    paused.set(this, true);
    this.dispatchEvent(new Event("pause"));
  });
}

describe("one recording at a time", () => {
  it("starting a recording pauses the one playing, and the first can take over again", async () => {
    fakeMedia();
    const { container } = await render(
      <>
        <RecordingPlayer recording={{ id: "1", callId: "c1", durationMs: 3000, canDownload: false }} />
        <RecordingPlayer recording={{ id: "2", callId: "c2", durationMs: 3000, canDownload: false }} />
      </>,
      { getRecording: ({ id }) => Promise.resolve(meta(id)), getRecordingAudio: () => Promise.resolve(audio) },
    );
    const player = (id: string) => container.querySelector(`[data-recording-id="${id}"]`)!;
    const play = async (id: string) => {
      // The first click loads the audio; the audio plays once its data is there.
      await click(player(id).querySelector('[data-testid="recording-play"]'));
      const element = player(id).querySelector("audio");
      if (element && element.paused) {
        await act(async () => {
          element.dispatchEvent(new Event("loadeddata"));
          await settle();
        });
      }
    };
    const pressed = (id: string) => player(id).querySelector('[data-testid="recording-play"]')?.getAttribute("aria-pressed");

    await play("1");
    expect(pressed("1")).toBe("true");
    await play("2");
    expect(pressed("2")).toBe("true");
    expect(pressed("1")).toBe("false");
    expect(player("1").querySelector("audio")?.paused).toBe(true);

    await click(player("1").querySelector('[data-testid="recording-play"]'));
    expect(pressed("1")).toBe("true");
    expect(pressed("2")).toBe("false");
  });
});
