import { act } from "react";
import { afterEach, describe, expect, it } from "vitest";
import type { HistoryCall } from "../../../src-shared/api/contract";
import type { SearchHistoryRequest, SearchHistoryReply } from "../../../src-shared/api/areas/crm";
import { render, setValue, settle } from "../credits/test-harness";
import { HistoryView, historyRowHeight } from "./history-view";

const total = 100_000;
const t0 = Date.UTC(2026, 10, 1);

function callAt(index: number): HistoryCall {
  return {
    id: String(total - index),
    direction: "outbound",
    number: `+1201555${String(index % 10_000).padStart(4, "0")}`,
    startedAt: t0 - index * 60_000,
    answeredAt: null,
    endedAt: null,
    billedSeconds: 30,
    disposition: "answered",
    costMicros: 1_000,
    outcome: index % 2 === 0 ? "Interested" : null,
    notes: null,
    contactId: index === 0 ? "7" : null,
    contactName: index === 0 ? "Jane Cooper" : null,
  };
}

describe("the history list", () => {
  const asked: SearchHistoryRequest[] = [];
  const api = {
    searchHistory: (request: SearchHistoryRequest): Promise<SearchHistoryReply> => {
      asked.push(request);
      const count = request.query ? 1 : total;
      const offset = request.offset ?? 0;
      const calls = Array.from({ length: Math.max(0, Math.min(request.limit ?? 100, count - offset)) }, (_, i) => callAt(offset + i));
      return Promise.resolve({ calls, totals: request.totals === false ? null : { count, seconds: count * 30, costMicros: count * 1_000 } });
    },
    listCallRecordings: () => Promise.resolve({ recordings: [] }),
    listHistoryUsers: () => Promise.resolve({ users: [] }),
  };
  afterEach(() => {
    asked.length = 0;
    document.body.innerHTML = "";
  });

  it("renders only about a screenful of rows for 100,000 calls, with the totals", async () => {
    const { container } = await render(<HistoryView currency="USD" timeZone="UTC" sync={null} initialHeight={600} />, api);
    const rows = container.querySelectorAll('[data-testid="history-list"] [data-testid="history-item"]');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThanOrEqual(Math.ceil(600 / historyRowHeight) + 8);
    expect(container.querySelector('[data-testid="history-list"]')?.getAttribute("style")).toContain(`height: ${total * historyRowHeight}px`);
    expect(container.querySelector('[data-testid="history-totals"]')?.getAttribute("data-count")).toBe(String(total));
    expect(container.querySelector('[data-testid="history-contact"]')?.textContent).toBe("Jane Cooper");
  });

  it("jumps to row 50,000 by fetching that page only, keeping the DOM small", async () => {
    const { container } = await render(<HistoryView currency="USD" timeZone="UTC" sync={null} initialHeight={600} />, api);
    const viewport = container.querySelector<HTMLElement>('[data-testid="history-viewport"]')!;
    await act(async () => {
      viewport.scrollTop = 50_000 * historyRowHeight;
      viewport.dispatchEvent(new Event("scroll"));
      await settle();
    });
    await act(settle);
    const indexes = [...container.querySelectorAll('[data-testid="history-list"] [data-testid="history-item"]')].map((li) => Number(li.getAttribute("data-index")));
    expect(indexes).toContain(50_000);
    expect(indexes.length).toBeLessThanOrEqual(Math.ceil(600 / historyRowHeight) + 14);
    expect(asked.map((r) => r.offset)).toEqual([0, 49_900, 50_000]);
    expect(container.querySelector('[data-index="50000"] [data-testid="history-number"]')?.getAttribute("data-e164")).toBe(callAt(50_000).number);
  });

  it("searches as the user types and shows the filtered totals", async () => {
    const { container } = await render(<HistoryView currency="USD" timeZone="UTC" sync={null} initialHeight={600} />, api);
    await setValue(container.querySelector('[data-testid="history-search"]'), "jane");
    expect(asked.at(-1)).toMatchObject({ query: "jane", offset: 0, totals: true });
    expect(container.querySelector('[data-testid="history-totals"]')?.getAttribute("data-count")).toBe("1");
    expect(container.querySelectorAll('[data-testid="history-list"] [data-testid="history-item"]')).toHaveLength(1);
  });
});
