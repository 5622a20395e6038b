import { afterEach, describe, expect, it } from "vitest";
import type { RecordingCacheState } from "../../../src-shared/api/areas/recordings";
import { click, render, setValue } from "../credits/test-harness";
import { RecordingCacheSection } from "./recording-cache-section";

const mib = 1024 * 1024;
const state = (patch: Partial<RecordingCacheState> = {}): RecordingCacheState => ({ usedBytes: 30 * mib, pinnedBytes: 12 * mib, count: 4, pinnedCount: 1, limitBytes: 1024 * mib, ...patch });

afterEach(() => {
  document.body.innerHTML = "";
});

describe("the recordings kept offline, in personal settings", () => {
  it("shows the space used against the limit, and saves a new limit in MB", async () => {
    const asked: number[] = [];
    const { container } = await render(<RecordingCacheSection />, {
      getRecordingCache: () => Promise.resolve(state()),
      setRecordingCacheLimit: ({ limitBytes }) => (asked.push(limitBytes), Promise.resolve({ ok: true, state: state({ limitBytes }) })),
    });
    expect(container.querySelector('[data-testid="recording-cache-usage"]')?.textContent).toBe("30 MB of 1,024 MB used. Recordings: 4, kept offline by you: 1 (12 MB).");
    await setValue(container.querySelector('[data-testid="recording-cache-limit"]'), "200");
    await click(container.querySelector('[data-testid="recording-cache-save"]'));
    expect(asked).toEqual([200 * mib]);
    expect(container.querySelector('[data-testid="recording-cache-usage"]')?.textContent).toContain("of 200 MB");
    expect(container.querySelector('[role="status"]')?.textContent).toBe("Saved.");
  });

  it("will not save a limit under the minimum, and says why a limit under the pinned recordings is refused", async () => {
    const { container } = await render(<RecordingCacheSection />, {
      getRecordingCache: () => Promise.resolve(state()),
      setRecordingCacheLimit: ({ limitBytes }) => Promise.resolve({ ok: false, reason: "over_limit", limitBytes, pinnedBytes: 80 * mib }),
    });
    await setValue(container.querySelector('[data-testid="recording-cache-limit"]'), "20");
    expect((container.querySelector('[data-testid="recording-cache-save"]') as HTMLButtonElement).disabled).toBe(true);
    await setValue(container.querySelector('[data-testid="recording-cache-limit"]'), "50");
    await click(container.querySelector('[data-testid="recording-cache-save"]'));
    expect(container.querySelector('[role="alert"]')?.textContent).toBe("Recordings you keep offline use 80 MB: choose a limit of at least that, or stop keeping some offline first.");
  });

  it("removes every kept recording on request", async () => {
    const { container } = await render(<RecordingCacheSection />, {
      getRecordingCache: () => Promise.resolve(state()),
      clearRecordingCache: () => Promise.resolve(state({ usedBytes: 0, pinnedBytes: 0, count: 0, pinnedCount: 0 })),
    });
    await click(container.querySelector('[data-testid="recording-cache-clear"]'));
    expect(container.querySelector('[data-testid="recording-cache-usage"]')?.getAttribute("data-count")).toBe("0");
    expect((container.querySelector('[data-testid="recording-cache-clear"]') as HTMLButtonElement).disabled).toBe(true);
  });
});
