import { act } from "react";
import { createRoot } from "react-dom/client";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AppProviders } from "../../app-providers";
import type { CallerApi } from "../../bridge/api";
import { createI18n } from "../../i18n/i18n";
import { render } from "../../screens/credits/test-harness";
import { SyncStatus } from "./sync-status";

afterEach(() => {
  document.body.innerHTML = "";
});

describe("SyncStatus", () => {
  it("shows a sync from earlier today as a time alone, with the full date in its title", async () => {
    const earlier = Date.now();
    const { container } = await render(<SyncStatus sync={{ status: "idle", lastSyncedAt: earlier, error: null, lastSeq: 1 }} />, {});
    const pill = container.querySelector("[data-testid=sync-state]");
    // The time comes after the first paint (see the next suite): wait for it.
    await vi.waitFor(() => expect(pill?.querySelector(".sync-text")?.textContent ?? "").toMatch(/^Synced \d{1,2}:\d{2}/));
    const line = pill?.querySelector(".sync-text")?.textContent ?? "";
    // No year on the bar (it was "Synced Dec 6, 2026, 11:46 PM" and clipped at 1100 px).
    expect(line).not.toContain(String(new Date(earlier).getFullYear()));
    expect(pill?.getAttribute("title")).toContain(String(new Date(earlier).getFullYear()));
  });
});

describe("SyncStatus with edits the server refused", () => {
  const withdrawn = { code: "conflict", message: "This outcome is no longer offered: pick another", reason: "outcome_withdrawn", params: {} };
  const plain = { code: "bad_request", message: "name is required" };
  const line = (container: HTMLElement) => container.querySelector(".sync-text")?.textContent ?? "";

  it("says how many and why in English, with the singular for one", async () => {
    const one = await render(<SyncStatus sync={{ status: "idle", lastSyncedAt: null, error: null, lastSeq: 1, refusedEdits: [withdrawn] }} />, {});
    expect(line(one.container)).toBe("The server refused 1 edit: This outcome is no longer offered. Pick another. · Not synced yet");
    const pill = one.container.querySelector("[data-testid=sync-state]");
    expect([pill?.getAttribute("data-refused"), pill?.getAttribute("title")]).toEqual(["1", "The server refused 1 edit: This outcome is no longer offered. Pick another. · Not synced yet"]);
    const two = await render(<SyncStatus sync={{ status: "idle", lastSyncedAt: null, error: null, lastSeq: 1, refusedEdits: [withdrawn, plain] }} />, {});
    expect(line(two.container)).toBe("The server refused 2 edits: This outcome is no longer offered. Pick another. The request was not valid: name is required · Not synced yet");
  });

  it("says it in Japanese, each reason translated", async () => {
    const { container } = await render(<SyncStatus sync={{ status: "idle", lastSyncedAt: null, error: null, lastSeq: 1, refusedEdits: [withdrawn, plain] }} />, {}, "ja");
    expect(line(container)).toBe("サーバーが編集 2 件を受け付けませんでした: この結果はもう使えません。別の結果を選んでください。 リクエストが正しくありません: name is required · まだ同期していません");
  });

  it("shows nothing of refusals when there are none", async () => {
    const { container } = await render(<SyncStatus sync={{ status: "idle", lastSyncedAt: null, error: null, lastSeq: 1, refusedEdits: [] }} />, {});
    expect(line(container)).toBe("Not synced yet");
  });
});

describe("SyncStatus at the first paint", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("draws no time (no time-zone formatter) until the browser has painted a frame and is idle, then shows it", async () => {
    const frames: FrameRequestCallback[] = [];
    const idles: IdleRequestCallback[] = [];
    vi.stubGlobal("requestAnimationFrame", (run: FrameRequestCallback) => frames.push(run));
    vi.stubGlobal("cancelAnimationFrame", () => undefined);
    vi.stubGlobal("requestIdleCallback", (run: IdleRequestCallback) => idles.push(run));
    vi.stubGlobal("cancelIdleCallback", () => undefined);
    const i18n = await createI18n("ja");
    const container = document.createElement("div");
    document.body.append(container);
    const root = createRoot(container);
    const at = Date.now();
    act(() =>
      root.render(
        <AppProviders api={{} as CallerApi} i18n={i18n}>
          <SyncStatus sync={{ status: "idle", lastSyncedAt: at, error: null, lastSeq: 1 }} />
        </AppProviders>,
      ),
    );
    const line = () => container.querySelector(".sync-text")?.textContent;
    expect(line()).toBe("同期済み");
    act(() => frames.splice(0).forEach((run) => run(0)));
    expect(line()).toBe("同期済み");
    act(() => idles.splice(0).forEach((run) => run({ didTimeout: false, timeRemaining: () => 10 })));
    expect(line()).toMatch(/^\d{1,2}:\d{2} に同期済み$/);
    act(() => root.unmount());
  });
});
