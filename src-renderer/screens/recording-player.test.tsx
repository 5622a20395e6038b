import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PlaybackAudio } from "../../src-shared/api/areas/recordings";
import { CallerError } from "../../src-shared/errors";
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

const audio = (overrides: Partial<PlaybackAudio> = {}): PlaybackAudio => ({ mime: "audio/wav", base64: btoa("RIFF"), fileName: "r.wav", offline: "cached", cacheProblem: null, ...overrides });
const summary = { id: "7", callId: "42", durationMs: 3000, canDownload: false };
const q = (container: HTMLElement, testId: string) => container.querySelector(`[data-testid="${testId}"]`);

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
      getRecordingAudio: ({ id }) => (asked.push(`audio ${id}`), Promise.resolve(audio())),
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

  it("says a recording is available offline, from the history's list or once played", async () => {
    const listed = await render(<RecordingPlayer recording={{ ...summary, offline: "cached" }} />, {});
    expect(q(listed.container, "recording-offline")?.textContent).toBe("Available offline");
    document.body.innerHTML = "";
    const played = await render(<RecordingPlayer recording={summary} />, { getRecording: () => Promise.resolve(meta), getRecordingAudio: () => Promise.resolve(audio()) });
    expect(q(played.container, "recording-offline")).toBeNull();
    await click(q(played.container, "recording-play"));
    expect(q(played.container, "recording-player")?.getAttribute("data-offline")).toBe("cached");
    expect(q(played.container, "recording-offline")).not.toBeNull();
  });

  it("keeps a recording offline on request, and lets it go again", async () => {
    const asked: boolean[] = [];
    const { container } = await render(<RecordingPlayer recording={{ ...summary, offline: "none" }} />, {
      setRecordingPinned: ({ pinned }) => (asked.push(pinned), Promise.resolve({ ok: true, offline: pinned ? "pinned" : "cached" })),
    });
    await click(q(container, "recording-pin"));
    expect((q(container, "recording-pin") as HTMLInputElement).checked).toBe(true);
    expect(q(container, "recording-player")?.getAttribute("data-offline")).toBe("pinned");
    await click(q(container, "recording-pin"));
    expect(asked).toEqual([true, false]);
    expect((q(container, "recording-pin") as HTMLInputElement).checked).toBe(false);
    expect(q(container, "recording-offline")).not.toBeNull();
  });

  it("a pin beyond the limit is refused with the figures", async () => {
    const { container } = await render(<RecordingPlayer recording={summary} />, {
      setRecordingPinned: () => Promise.resolve({ ok: false, reason: "over_limit", limitBytes: 50 * 1024 * 1024, pinnedBytes: 49 * 1024 * 1024 }),
    });
    await click(q(container, "recording-pin"));
    expect(container.querySelector('[role="alert"]')?.textContent).toBe(
      "Cannot keep this offline: recordings kept offline already use 49 MB of the 50 MB limit. Stop keeping some offline, or raise the limit in your settings.",
    );
    expect((q(container, "recording-pin") as HTMLInputElement).checked).toBe(false);
  });

  it("offline, a recording this computer does not keep says so in words", async () => {
    const unreachable = () => Promise.reject(new CallerError("server_unreachable", "Cannot reach http://127.0.0.1:1"));
    const { container } = await render(<RecordingPlayer recording={summary} />, { getRecording: unreachable, getRecordingAudio: unreachable });
    await click(q(container, "recording-play"));
    expect(container.querySelector('[role="alert"]')?.textContent).toBe(
      "This recording is not on this computer, and the company server cannot be reached. Connect to play it.",
    );
    expect(container.querySelector("audio")).toBeNull();
  });

  it("plays audio that failed its checksum, and says it was not kept", async () => {
    const { container } = await render(<RecordingPlayer recording={summary} />, {
      getRecording: () => Promise.resolve(meta),
      getRecordingAudio: () => Promise.resolve(audio({ offline: "none", cacheProblem: "checksum_mismatch" })),
    });
    await click(q(container, "recording-play"));
    expect(container.querySelector("audio")).not.toBeNull();
    expect(container.querySelector('[role="status"]')?.textContent).toMatch(/not kept offline: the recording did not arrive intact/);
    expect(q(container, "recording-offline")).toBeNull();
  });
});
