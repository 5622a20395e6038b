import { afterEach, describe, expect, it, vi } from "vitest";
import { act } from "react";
import type { RecordingUpload } from "../../src-shared/api/areas/recorder";
import { CallerError, errorToText } from "../../src-shared/errors";
import type { CallerApi } from "../bridge/api";
import { click, render, texts } from "./credits/test-harness";
import { mergeUpload, RecordingUploads } from "./recording-uploads";

const upload = (clientCallId: string, patch: Partial<RecordingUpload> = {}): RecordingUpload => ({
  clientCallId,
  state: "waiting",
  sentBytes: 0,
  totalBytes: 2_000_000,
  error: null,
  startedAt: Date.UTC(2026, 10, 24, 9, 0, 0),
  ...patch,
});

afterEach(() => {
  document.body.innerHTML = "";
});

/** An API whose recordingUploadChanged the test fires by hand. */
function withEvents(listed: RecordingUpload[], extra: Partial<CallerApi> = {}) {
  let emit: ((u: RecordingUpload) => void) | null = null;
  const api: Partial<CallerApi> = {
    listRecordingUploads: () => Promise.resolve({ uploads: listed }),
    on: ((event: string, handler: (u: RecordingUpload) => void) => {
      if (event === "recordingUploadChanged") emit = handler;
      return () => (emit = null);
    }) as CallerApi["on"],
    ...extra,
  };
  const fire = (u: RecordingUpload) =>
    act(async () => {
      emit?.(u);
      await Promise.resolve();
    });
  return { api, fire };
}

describe("the recording uploads list", () => {
  it("shows nothing while there is nothing to upload, even when the core has no desktop recording", async () => {
    const { container } = await render(<RecordingUploads />, { ...withEvents([]).api, listRecordingUploads: () => Promise.reject(new Error("not built yet")) });
    expect(container.querySelector("[data-testid=recording-uploads]")).toBeNull();
  });

  it("follows an upload from waiting through progress to done", async () => {
    const { api, fire } = withEvents([upload("a", { startedAt: 1 }), upload("b", { state: "done", sentBytes: 10, totalBytes: 10, startedAt: 0 })]);
    const { container } = await render(<RecordingUploads />, api);
    expect(texts(container, ".upload-state")).toEqual(["Waiting to upload", "Uploaded"]);
    await fire(upload("a", { state: "uploading", sentBytes: 500_000, startedAt: 1 }));
    const bar = container.querySelector<HTMLProgressElement>("[data-call-id=a] progress");
    expect([bar?.value, bar?.max]).toEqual([500_000, 2_000_000]);
    expect(container.querySelector("[data-call-id=a] .upload-bytes")?.textContent).toBe("500 KB of 2 MB");
    await fire(upload("a", { state: "done", sentBytes: 2_000_000, startedAt: 1 }));
    expect(container.querySelector("[data-call-id=a]")?.getAttribute("data-state")).toBe("done");
    expect(container.querySelectorAll("[data-testid=recording-upload]")).toHaveLength(2);
  });

  it("says why an upload failed and retries it on request", async () => {
    const retryRecordingUpload = vi.fn<CallerApi["retryRecordingUpload"]>(() => Promise.resolve({ ok: true }));
    const { api } = withEvents([upload("a", { state: "failed", error: "The server refused the file: not a WAV." })], { retryRecordingUpload });
    const { container } = await render(<RecordingUploads />, api);
    expect(texts(container, "[data-testid=recording-upload-error]")).toEqual(["The server refused the file: not a WAV."]);
    await click(container.querySelector("[data-testid=recording-upload-retry]"));
    expect(retryRecordingUpload).toHaveBeenCalledWith({ clientCallId: "a" });
  });

  it("words a stored refusal by its reason in English and Japanese; an older plain message shows as it was kept", async () => {
    const refused = errorToText(new CallerError("bad_request", "Recording a.wav is not a readable WAV file", { reason: "recording_unreadable" }));
    const local = errorToText(new CallerError("internal", "The app is closing", { reason: "upload_interrupted" }));
    const list = [upload("a", { state: "failed", error: refused, startedAt: 3 }), upload("b", { state: "waiting", error: local, startedAt: 2 }), upload("c", { state: "failed", error: "The server refused the file: not a WAV.", startedAt: 1 })];
    const en = await render(<RecordingUploads />, withEvents(list, {}).api);
    expect(texts(en.container, "[data-testid=recording-upload-error]")).toEqual([
      "The recording could not be read. It is kept on this computer.",
      "The upload stopped before it finished. It resumes by itself.",
      "The server refused the file: not a WAV.",
    ]);
    act(() => en.root.unmount());
    const ja = await render(<RecordingUploads />, withEvents(list, {}).api, "ja");
    expect(texts(ja.container, "[data-testid=recording-upload-error]")).toEqual([
      "録音を読み取れませんでした。録音はこのコンピューターに保存されています。",
      "アップロードが途中で止まりました。自動的に再開します。",
      "The server refused the file: not a WAV.",
    ]);
  });

  it("keeps one row per call, newest first", () => {
    const list = [upload("a", { startedAt: 1 }), upload("b", { startedAt: 3 })].reduce(mergeUpload, [] as RecordingUpload[]);
    expect(mergeUpload(list, upload("c", { startedAt: 2 })).map((u) => u.clientCallId)).toEqual(["b", "c", "a"]);
    expect(mergeUpload(list, upload("a", { startedAt: 1, state: "done" })).map((u) => [u.clientCallId, u.state])).toEqual([
      ["b", "waiting"],
      ["a", "done"],
    ]);
  });
});
