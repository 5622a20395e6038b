import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RecordingMeta } from "../../src-shared/server-api/recordings";
import { click, render } from "./credits/test-harness";
import { RecordingPlayer } from "./recording-player";

const meta: RecordingMeta = {
  id: "7",
  callId: "42",
  durationMs: 3000,
  canDownload: false,
  channels: 2,
  sampleRate: 8000,
  sizeBytes: 96_044,
  sha256: "0".repeat(64),
  createdAt: 1,
  peaks: [
    [[-0.5, 0.5], [0, 0.25]],
    [[0, 0], [-1, 1]],
  ],
  pauses: [],
};

beforeAll(() => {
  // jsdom has no blob: URLs.
  URL.createObjectURL = () => "blob:recording";
  URL.revokeObjectURL = () => undefined;
});

afterEach(() => {
  document.body.innerHTML = "";
});

describe("the recording player", () => {
  it("loads the audio and the waveform on first play: one lane per channel, a bar per peak", async () => {
    const asked: string[] = [];
    const { container } = await render(<RecordingPlayer recording={{ id: "7", callId: "42", durationMs: 3000, canDownload: false }} />, {
      getRecording: ({ id }) => (asked.push(`meta ${id}`), Promise.resolve(meta)),
      getRecordingAudio: ({ id }) => (asked.push(`audio ${id}`), Promise.resolve({ mime: "audio/wav", base64: btoa("RIFF"), fileName: "r.wav" })),
    });
    expect(container.querySelector('[data-testid="recording-waveform"]')).toBeNull();
    await click(container.querySelector('[data-testid="recording-play"]'));
    expect(asked.sort()).toEqual(["audio 7", "meta 7"]);
    expect(container.querySelector("audio")?.getAttribute("src")).toBe("blob:recording");
    const path = container.querySelector('[data-testid="recording-waveform"] path')?.getAttribute("d") ?? "";
    expect(path.match(/M/g)).toHaveLength(4);
    // Channel 1's second peak spans its whole lane (50 to 100).
    expect(path).toContain("M500.0 50.00V100.20");
    expect(container.textContent).toContain("0:00 / 0:03");
  });

  it("offers download only when allowed, and keeps the chosen speed", async () => {
    const { container } = await render(<RecordingPlayer recording={{ id: "7", callId: "42", durationMs: 3000, canDownload: true }} />, {});
    expect(container.querySelector('[data-testid="recording-download"]')).not.toBeNull();
    await click(container.querySelector('[data-testid="recording-speed-1.5"]'));
    expect(container.querySelector('[data-testid="recording-speed-1.5"]')?.getAttribute("aria-pressed")).toBe("true");
    expect(container.querySelector('[data-testid="recording-speed-1"]')?.getAttribute("aria-pressed")).toBe("false");
    const hidden = await render(<RecordingPlayer recording={{ id: "8", callId: "43", durationMs: 1000, canDownload: false }} />, {});
    expect(hidden.container.querySelector('[data-testid="recording-download"]')).toBeNull();
  });
});
