import { act } from "react";
import type { Root } from "react-dom/client";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { GreetingList } from "../../../src-shared/api/areas/voicemail";
import type { Greeting } from "../../../src-shared/server-api/voicemail";
import type { CallerApi } from "../../bridge/api";
import { click, render as renderWith, setValue, submit, texts } from "../credits/test-harness";
import { GreetingsSection } from "./greetings-section";

const greeting = (id: number, name: string, isDefault: boolean, durationMs = 12_000): Greeting => ({ id, userId: 11, name, durationMs, isDefault, createdAt: 1 });
const online = (greetings: Greeting[]): GreetingList => ({ greetings, offline: false, cachedAt: 5 });

const roots: Root[] = [];
async function render(...args: Parameters<typeof renderWith>) {
  const rendered = await renderWith(...args);
  roots.push(rendered.root);
  return rendered;
}

afterEach(() => {
  // Unmounted first: the dialog and toasts live in portals React must remove itself.
  act(() => {
    for (const root of roots.splice(0)) root.unmount();
  });
  document.body.innerHTML = "";
  vi.unstubAllGlobals();
});

function scripted(initial: GreetingList, extra: Partial<CallerApi> = {}) {
  let current = initial;
  const api: Partial<CallerApi> = {
    on: () => () => undefined,
    listGreetings: () => Promise.resolve(current),
    ...extra,
  };
  return { api, set: (next: GreetingList) => (current = next) };
}

const body = () => document.body;

/** jsdom's File has no arrayBuffer(); Chromium's does. */
function audioFile(name: string, type: string): File {
  const file = new File(["not decoded here"], name, { type });
  Object.defineProperty(file, "arrayBuffer", { value: () => Promise.resolve(new ArrayBuffer(16)) });
  return file;
}

describe("personal settings → voicemail greetings", () => {
  it("lists the greetings with their length and the default marked", async () => {
    const { api } = scripted(online([greeting(1, "Follow-up", true), greeting(2, "Short", false, 4_000)]));
    const { container } = await render(<GreetingsSection />, api);
    expect(texts(container, "[data-testid=greeting-row-name]")).toEqual(["Follow-up", "Short"]);
    expect(container.querySelector("[data-testid=greeting-row][data-id='1']")?.textContent).toContain("Default");
    expect(container.querySelector("[data-testid=greeting-row][data-id='2']")?.textContent).toContain("0:04");
    // The default has no "Make default"; the other has.
    expect(container.querySelectorAll("[data-testid=greeting-make-default]")).toHaveLength(1);
  });

  it("renames and sets the default through the core, then shows the list the core pushes", async () => {
    const { api, set } = scripted(online([greeting(1, "Follow-up", true), greeting(2, "Short", false)]));
    const renameGreeting = vi.fn<CallerApi["renameGreeting"]>(({ id, name }) => {
      set(online([greeting(1, "Follow-up", true), greeting(id, name, false)]));
      return Promise.resolve(greeting(id, name, false));
    });
    const setDefaultGreeting = vi.fn<CallerApi["setDefaultGreeting"]>(({ id }) => Promise.resolve(greeting(id, "x", true)));
    const { container } = await render(<GreetingsSection />, { ...api, renameGreeting, setDefaultGreeting });
    const row = () => container.querySelector("[data-testid=greeting-row][data-id='2']")!;
    await click(row().querySelector("[data-testid=greeting-rename]"));
    await setValue(row().querySelector("[data-testid=greeting-rename-input]"), "Intro for leads");
    await submit(row().querySelector("form"));
    expect(renameGreeting).toHaveBeenCalledWith({ id: 2, name: "Intro for leads" });
    await click(row().querySelector("[data-testid=greeting-make-default]"));
    expect(setDefaultGreeting).toHaveBeenCalledWith({ id: 2 });
  });

  it("deletes only after the dialog is confirmed, never through window.confirm", async () => {
    const { api } = scripted(online([greeting(1, "Follow-up", true)]));
    const deleteGreeting = vi.fn<CallerApi["deleteGreeting"]>(() => Promise.resolve({ ok: true }));
    const windowConfirm = vi.fn(() => true);
    vi.stubGlobal("confirm", windowConfirm);
    const { container } = await render(<GreetingsSection />, { ...api, deleteGreeting });
    await click(container.querySelector("[data-testid=greeting-delete]"));
    expect(body().querySelector("[data-testid=confirm-dialog]")?.textContent).toContain("Delete the greeting “Follow-up”?");
    expect(deleteGreeting).not.toHaveBeenCalled();
    await click(body().querySelector("[data-testid=confirm-accept]"));
    expect(deleteGreeting).toHaveBeenCalledWith({ id: 1 });
    expect(windowConfirm).not.toHaveBeenCalled();
  });

  it("offline, says the greetings need the company server and offers no change", async () => {
    const { api } = scripted({ greetings: [greeting(1, "Follow-up", true)], offline: true, cachedAt: Date.UTC(2026, 11, 6, 9, 30) });
    const { container } = await render(<GreetingsSection />, api);
    expect(container.querySelector("[data-testid=greetings-offline]")?.textContent).toContain("cannot be reached");
    for (const id of ["greeting-rename", "greeting-delete", "greeting-play", "greeting-record", "greeting-upload"]) {
      expect((container.querySelector(`[data-testid=${id}]`) as HTMLButtonElement).disabled, id).toBe(true);
    }
  });

  it("offline with nothing kept, says so instead of an empty list", async () => {
    const { api } = scripted({ greetings: [], offline: true, cachedAt: null });
    const { container } = await render(<GreetingsSection />, api);
    expect(container.querySelector("[data-testid=greetings-offline]")?.textContent).toContain("no greetings are kept on this computer");
    expect(container.querySelector("[data-testid=greetings-empty]")).toBeNull();
  });

  it.each([
    ["a file that is not audio", () => Promise.reject(new DOMException("Unable to decode", "EncodingError")), "not audio the app can read. Choose a WAV or MP3 file."],
    ["a file over a minute", () => Promise.resolve({ duration: 75, numberOfChannels: 1, sampleRate: 8000, getChannelData: () => new Float32Array(8000 * 75) }), "1 min 15 sec long; a greeting can be 60 seconds at most"],
  ])("refuses %s in words with what to do, and uploads nothing", async (_name, decode, words) => {
    vi.stubGlobal(
      "OfflineAudioContext",
      class {
        decodeAudioData = decode;
      },
    );
    const stageGreetingAudio = vi.fn<CallerApi["stageGreetingAudio"]>(() => Promise.resolve({ ok: true }));
    const { api } = scripted(online([]), { stageGreetingAudio });
    const { container } = await render(<GreetingsSection />, api);
    const input = container.querySelector<HTMLInputElement>("[data-testid=greeting-file]")!;
    Object.defineProperty(input, "files", { value: [audioFile("pitch.mp3", "audio/mpeg")], configurable: true });
    await act(async () => {
      input.dispatchEvent(new Event("change", { bubbles: true }));
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    expect(container.querySelector("[data-testid=greeting-problem]")?.textContent).toContain(words);
    expect(container.querySelector("[data-testid=greeting-draft]")).toBeNull();
    expect(stageGreetingAudio).not.toHaveBeenCalled();
  });

  it("a converted file is previewed, named from the file and sent in pieces before the upload", async () => {
    vi.stubGlobal(
      "OfflineAudioContext",
      class {
        decodeAudioData = () => Promise.resolve({ duration: 2, numberOfChannels: 2, sampleRate: 8000, getChannelData: () => new Float32Array(16_000).fill(0.25) });
      },
    );
    const staged: number[] = [];
    const stageGreetingAudio = vi.fn<CallerApi["stageGreetingAudio"]>(({ seq }) => {
      staged.push(seq);
      return Promise.resolve({ ok: true });
    });
    const uploadGreeting = vi.fn<CallerApi["uploadGreeting"]>(({ name }) => Promise.resolve(greeting(3, name, true, 2_000)));
    const { api } = scripted(online([]), { stageGreetingAudio, uploadGreeting });
    const { container } = await render(<GreetingsSection />, api);
    const input = container.querySelector<HTMLInputElement>("[data-testid=greeting-file]")!;
    Object.defineProperty(input, "files", { value: [audioFile("Callback pitch.wav", "audio/wav")], configurable: true });
    await act(async () => {
      input.dispatchEvent(new Event("change", { bubbles: true }));
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    expect(container.querySelector("[data-testid=greeting-draft]")?.textContent).toContain("0:02");
    expect(container.querySelector<HTMLInputElement>("[data-testid=greeting-name]")?.value).toBe("Callback pitch");
    await submit(container.querySelector("[data-testid=greeting-draft]"));
    expect(staged).toEqual([0]);
    const uploadId = stageGreetingAudio.mock.calls[0]![0].uploadId;
    expect(uploadGreeting).toHaveBeenCalledWith({ uploadId, name: "Callback pitch" });
    // 2 s of 8 kHz 16-bit mono: 44 header bytes and 32,000 of samples.
    expect(atob(stageGreetingAudio.mock.calls[0]![0].data).length).toBe(32_044);
    expect(container.querySelector("[data-testid=greeting-draft]")).toBeNull();
  });
});
