import { afterEach, describe, expect, it, vi } from "vitest";
import type { HistoryCall, SessionState } from "../../../src-shared/api/contract";
import type { SearchHistoryReply } from "../../../src-shared/api/areas/crm";
import type { CoachingLogReply } from "../../../src-shared/server-api/coaching";
import type { ChainReply } from "../../../src-shared/server-api/transfers";
import { click, render } from "../credits/test-harness";
import { HistoryView } from "./history-view";

const t0 = Date.UTC(2026, 11, 7, 3, 4, 0);
const call = (id: string, number: string, startedAt: number): HistoryCall => ({
  id, direction: "outbound", number, startedAt, answeredAt: startedAt, endedAt: startedAt + 60_000, billedSeconds: 60, disposition: "answered", costMicros: 10_000, outcome: null, notes: null, userId: "11",
});
// 3: the call transferred (attended) to the consultation call 2; 1: a call transferred blind to a teammate.
const calls = [call("3", "+12015550101", t0 + 120_000), call("2", "+12015550102", t0 + 60_000), call("1", "+12015550103", t0)];
const chains: Record<string, ChainReply> = {
  "3": { entries: [{ role: "from", mode: "attended", toName: null, toNumber: "+12015550102", byName: "Sora Sales", at: t0 + 180_000, linkedCallId: "2" }] },
  "2": { entries: [{ role: "leg", mode: "attended", toName: null, toNumber: "+12015550102", byName: "Sora Sales", at: t0 + 180_000, linkedCallId: "3" }] },
  "1": { entries: [{ role: "from", mode: "blind", toName: "Jane Cooper", toNumber: "", byName: "Sora Sales", at: t0 + 30_000, linkedCallId: null }] },
};
const coaching: CoachingLogReply = {
  entries: [
    { id: 2, adminUserId: 1, adminName: "Aiko Admin", callId: "3", userName: "Sora Sales", number: "+12015550101", mode: "barge", createdAt: t0 + 150_000, joinedAt: null, leftAt: null },
    { id: 1, adminUserId: 1, adminName: "Aiko Admin", callId: "3", userName: "Sora Sales", number: "+12015550101", mode: "whisper", createdAt: t0 + 125_000, joinedAt: t0 + 126_000, leftAt: t0 + 168_000 },
  ],
};

function session(role: "admin" | "regular"): SessionState {
  return {
    signedIn: true,
    serverUrl: "https://caller.example",
    user: { id: 11, companyId: 1, email: "a@co.example", name: "Sora Sales", role, locale: null },
    company: { id: 1, name: "Co", plan: "professional", isTrial: false, country: "JP", currency: "USD", timeZone: "UTC" },
    callerEnabled: true,
  };
}

function api(role: "admin" | "regular", chainFails = false) {
  const coachingAsked: string[] = [];
  return {
    coachingAsked,
    api: {
      searchHistory: (): Promise<SearchHistoryReply> => Promise.resolve({ calls, totals: { count: calls.length, seconds: 180, costMicros: 30_000 } }),
      getSession: () => Promise.resolve(session(role)),
      listCallRecordings: () => Promise.resolve({ recordings: [] }),
      listHistoryUsers: () => Promise.resolve({ users: [{ id: "11", name: "Sora Sales" }] }),
      getCallOutcomes: () => Promise.resolve({ outcomes: [], required: false }),
      callTransferChain: ({ callId }: { callId: string }) => (chainFails ? Promise.reject(new Error("offline")) : Promise.resolve(chains[callId] ?? { entries: [] })),
      callCoachingLog: ({ callId }: { callId: string }) => (coachingAsked.push(callId), Promise.resolve(callId === "3" ? coaching : { entries: [] })),
    },
  };
}

const q = (root: ParentNode, selector: string) => root.querySelector(selector);
const rowOf = (container: HTMLElement, id: string) => q(container, `[data-testid="history-row"][data-call-id="${id}"]`)!;
const open = (container: HTMLElement, id: string) => click(q(rowOf(container, id), '[data-testid="history-details-toggle"]'));
const details = (container: HTMLElement) => q(container, '[data-testid="history-details"]')!;

describe("a history call's transfer chain and coaching log", () => {
  afterEach(() => {
    document.body.innerHTML = "";
  });

  it("shows the transfer on both calls of the chain, and the link opens the other call", async () => {
    const { container } = await render(<HistoryView currency="USD" timeZone="UTC" sync={null} initialHeight={600} />, api("regular").api);
    await open(container, "3");
    const line = q(details(container), '[data-testid="history-transfer"]')!;
    expect(line.getAttribute("data-role")).toBe("from");
    expect(line.textContent).toContain("Transferred to +1 201 555 0102 (attended), by Sora Sales, at ");
    expect(q(line, '[data-testid="history-transfer-link"]')?.textContent).toBe("Open the consultation call");

    await click(q(line, '[data-testid="history-transfer-link"]'));
    // The consultation call is opened in its place, with the same transfer, linking back.
    expect(rowOf(container, "2").getAttribute("data-expanded")).toBe("true");
    expect(rowOf(container, "3").getAttribute("data-expanded")).toBe("false");
    const back = q(details(container), '[data-testid="history-transfer"]')!;
    expect(back.getAttribute("data-role")).toBe("leg");
    expect(back.textContent).toContain("Transferred to +1 201 555 0102 (attended), by Sora Sales");
    expect(q(back, '[data-testid="history-transfer-link"]')?.textContent).toBe("Open the transferred call");
  });

  it("names a teammate the call was handed to, with no link to their call; a call with no transfer shows nothing; a failed load says so", async () => {
    const { container } = await render(<HistoryView currency="USD" timeZone="UTC" sync={null} initialHeight={600} />, api("regular").api);
    await open(container, "1");
    const line = q(details(container), '[data-testid="history-transfer"]')!;
    expect(line.textContent).toContain("Transferred to Jane Cooper (blind), by Sora Sales");
    expect(q(line, '[data-testid="history-transfer-link"]')).toBeNull();
    document.body.innerHTML = "";

    const failing = await render(<HistoryView currency="USD" timeZone="UTC" sync={null} initialHeight={600} />, api("regular", true).api);
    await open(failing.container, "1");
    expect(q(details(failing.container), '[data-testid="history-transfers"]')).toBeNull();
    // One retry first, then the words.
    await vi.waitFor(() => expect(q(details(failing.container), '[data-testid="history-transfers-error"]')?.textContent).toBe("The transfer details cannot be loaded now."), { timeout: 5_000 });
  });

  it("shows an admin who coached the call, how and for how long; a regular user's desktop does not ask", async () => {
    const admin = api("admin");
    const { container } = await render(<HistoryView currency="USD" timeZone="UTC" sync={null} initialHeight={600} />, admin.api);
    await open(container, "3");
    const entries = [...details(container).querySelectorAll('[data-testid="history-coaching-entry"]')].map((e) => [e.getAttribute("data-mode"), e.textContent]);
    expect(entries).toEqual([
      ["whisper", expect.stringMatching(/^Aiko Admin: whispered, at .+, for 42 s(ec)?/) as unknown],
      ["barge", expect.stringMatching(/^Aiko Admin asked to barge in at .+ but never joined$/) as unknown],
    ]);
    expect(admin.coachingAsked).toEqual(["3"]);
    document.body.innerHTML = "";

    const regular = api("regular");
    const user = await render(<HistoryView currency="USD" timeZone="UTC" sync={null} initialHeight={600} />, regular.api);
    await open(user.container, "3");
    expect(q(details(user.container), '[data-testid="history-coaching"]')).toBeNull();
    expect(regular.coachingAsked).toEqual([]);
  });
});
