import { afterEach, describe, expect, it } from "vitest";
import type { HistoryCall, SessionState } from "../../../src-shared/api/contract";
import type { SearchHistoryRequest, SearchHistoryReply } from "../../../src-shared/api/areas/crm";
import { click, render } from "../credits/test-harness";
import { HistoryView } from "./history-view";

const t0 = Date.UTC(2026, 10, 1);
const calls: HistoryCall[] = [
  { id: "3", direction: "outbound", number: "+81312345678", startedAt: t0 + 3, answeredAt: t0, endedAt: t0, billedSeconds: 65, disposition: "answered", costMicros: 42_000, outcome: null, outcomeKey: "left_voicemail", notes: null, contactId: "7", contactName: "Yamada Taro", userId: "11" },
  { id: "2", direction: "inbound", number: "+12015550123", startedAt: t0 + 2, answeredAt: null, endedAt: t0, billedSeconds: 0, disposition: "no_answer", costMicros: null, outcome: "Interested", outcomeKey: null, notes: null, userId: "12" },
  { id: "1", direction: "inbound", number: "+81312340000", startedAt: t0 + 1, answeredAt: t0, endedAt: t0, billedSeconds: 30, disposition: "answered", costMicros: 0, outcome: null, notes: null, userId: "99" },
];

function session(role: "admin" | "regular"): SessionState {
  return {
    signedIn: true,
    serverUrl: "https://caller.example",
    user: { id: 11, companyId: 1, email: "a@co.example", name: "Aoki", role, locale: null },
    company: { id: 1, name: "Co", plan: "professional", isTrial: false, country: "JP", currency: "USD", timeZone: "UTC" },
    callerEnabled: true,
  };
}

function api(role: "admin" | "regular", list: HistoryCall[] = calls) {
  const asked: SearchHistoryRequest[] = [];
  const dialed: unknown[] = [];
  return {
    asked,
    dialed,
    api: {
      searchHistory: (request: SearchHistoryRequest): Promise<SearchHistoryReply> => {
        asked.push(request);
        return Promise.resolve({ calls: list, totals: request.totals === false ? null : { count: list.length, seconds: 95, costMicros: 42_000 } });
      },
      getSession: () => Promise.resolve(session(role)),
      listCallRecordings: () => Promise.resolve({ recordings: [] }),
      listHistoryUsers: () => Promise.resolve({ users: role === "admin" ? [{ id: "11", name: "Aoki" }, { id: "12", name: "Brown" }] : [] }),
      getCallOutcomes: () => Promise.resolve({ outcomes: [], required: false }),
      dialFromCrm: (request: unknown) => (dialed.push(request), Promise.resolve({ ok: true as const })),
    },
  };
}

const q = (root: ParentNode, selector: string) => root.querySelector(selector);
const rowOf = (container: HTMLElement, id: string) => q(container, `[data-testid="history-row"][data-call-id="${id}"]`)!;

describe("the history table", () => {
  afterEach(() => {
    document.body.innerHTML = "";
  });

  it("sorts by a clicked header: the core is asked for that order and aria-sort says it", async () => {
    const rig = api("regular");
    const { container } = await render(<HistoryView currency="USD" timeZone="UTC" sync={null} initialHeight={600} />, rig.api);
    const header = (column: string) => q(container, `[data-testid="history-sort-${column}"]`)!;
    expect(header("time").getAttribute("aria-sort")).toBe("descending");
    expect(header("cost").getAttribute("aria-sort")).toBe("none");
    expect(rig.asked.at(-1)).toMatchObject({ sort: { by: "time", direction: "desc" }, offset: 0 });

    await click(q(header("cost"), "button"));
    expect(header("cost").getAttribute("aria-sort")).toBe("descending");
    expect(header("time").getAttribute("aria-sort")).toBe("none");
    expect(rig.asked.at(-1)).toMatchObject({ sort: { by: "cost", direction: "desc" }, offset: 0, totals: true });

    await click(q(header("cost"), "button"));
    expect(header("cost").getAttribute("aria-sort")).toBe("ascending");
    expect(rig.asked.at(-1)).toMatchObject({ sort: { by: "cost", direction: "asc" } });
    // The search and the outcome sort get the default outcomes' names in the UI language.
    expect(rig.asked.at(-1)?.outcomeLabels).toMatchObject({ left_voicemail: "Left voicemail", connected: "Connected" });
  });

  it("formats numbers national in the company's country and international elsewhere, beside the contact's name; outcomes in the UI language", async () => {
    const { container } = await render(<HistoryView currency="USD" timeZone="UTC" sync={null} initialHeight={600} />, api("regular").api);
    const known = rowOf(container, "3");
    expect(q(known, '[data-testid="history-contact"]')?.textContent).toBe("Yamada Taro");
    expect(q(known, '[data-testid="history-number"]')?.textContent).toBe("03-1234-5678");
    expect(q(known, '[data-testid="history-outcome"]')?.textContent).toBe("Left voicemail");
    expect(q(rowOf(container, "2"), '[data-testid="history-number"]')?.textContent).toBe("+1 201 555 0123");
    expect(q(rowOf(container, "2"), '[data-testid="history-outcome"]')?.textContent).toBe("Interested");
    expect(q(rowOf(container, "1"), '[data-testid="history-outcome"]')).toBeNull();
    // Direction icons carry words: an unanswered incoming call is a missed one.
    expect(q(known, '[role="img"]')?.getAttribute("aria-label")).toBe("Outgoing call");
    expect(q(rowOf(container, "2"), '[role="img"]')?.getAttribute("aria-label")).toBe("Missed call");
    expect(q(rowOf(container, "1"), '[role="img"]')?.getAttribute("aria-label")).toBe("Incoming call");
  });

  it("shows who made each call to an admin only", async () => {
    const regular = await render(<HistoryView currency="USD" timeZone="UTC" sync={null} initialHeight={600} />, api("regular").api);
    expect(regular.container.querySelectorAll('[data-testid="history-made-by"]')).toHaveLength(0);
    expect(regular.container.querySelector('[data-col="made-by"]')).toBeNull();
    document.body.innerHTML = "";

    const { container } = await render(<HistoryView currency="USD" timeZone="UTC" sync={null} initialHeight={600} />, api("admin").api);
    expect(q(container, '[role="columnheader"][data-col="made-by"]')?.textContent).toBe("Made by");
    expect(q(rowOf(container, "3"), '[data-testid="history-made-by"]')?.textContent).toBe("Aoki");
    expect(q(rowOf(container, "2"), '[data-testid="history-made-by"]')?.textContent).toBe("Brown");
    expect(q(rowOf(container, "1"), '[data-testid="history-made-by"]')?.textContent).toBe("Unknown user");
  });

  it("a call a teammate transferred in says who transferred it, in English and Japanese, and calls back like any received call", async () => {
    const transferred: HistoryCall = { id: "4", direction: "inbound", number: "+12015550188", startedAt: t0 + 4, answeredAt: t0, endedAt: t0, billedSeconds: 12, disposition: "answered", costMicros: null, outcome: null, notes: null, userId: "11", transferredBy: "Aiko Admin" };
    const rig = api("regular", [transferred, ...calls]);
    const { container } = await render(<HistoryView currency="USD" timeZone="UTC" sync={null} initialHeight={600} />, rig.api);
    expect(q(rowOf(container, "4"), '[data-testid="history-transferred-by"]')?.textContent).toBe("Transferred by Aiko Admin");
    expect(q(rowOf(container, "4"), '[role="img"]')?.getAttribute("aria-label")).toBe("Incoming call");
    expect(container.querySelectorAll('[data-testid="history-transferred-by"]')).toHaveLength(1);
    await click(q(rowOf(container, "4"), '[data-testid="history-call-back"]'));
    expect(rig.dialed).toEqual([{ number: "+12015550188", contactId: null, dealId: null, placeCall: true }]);
    document.body.innerHTML = "";

    const ja = await render(<HistoryView currency="USD" timeZone="UTC" sync={null} initialHeight={600} />, api("regular", [transferred]).api, "ja");
    expect(q(rowOf(ja.container, "4"), '[data-testid="history-transferred-by"]')?.textContent).toBe("Aiko Admin さんからの転送");
  });

  it("calls back through click-to-call, placing the call, and opens a row's details below it", async () => {
    const rig = api("regular");
    const { container } = await render(<HistoryView currency="USD" timeZone="UTC" sync={null} initialHeight={600} />, rig.api);
    await click(q(rowOf(container, "3"), '[data-testid="history-call-back"]'));
    expect(rig.dialed).toEqual([{ number: "+81312345678", contactId: "7", dealId: null, placeCall: true }]);

    const toggle = q(rowOf(container, "3"), '[data-testid="history-details-toggle"]')!;
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    await click(toggle);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    const details = q(container, '[data-testid="history-details"]')!;
    expect(toggle.getAttribute("aria-controls")).toBe(details.id);
    expect(details.previousElementSibling).toBe(rowOf(container, "3"));
    await click(toggle);
    expect(q(container, '[data-testid="history-details"]')).toBeNull();
  });
});
