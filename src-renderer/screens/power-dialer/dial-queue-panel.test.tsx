import { act } from "react";
import type { Root } from "react-dom/client";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DialQueue, DialQueueItem } from "../../../src-shared/api/areas/dialer";
import type { CallerApi } from "../../bridge/api";
import type { CallState } from "../../phone/call-state";
import type { Phone, PhoneSnapshot } from "../../phone/phone";
import { PhoneContext } from "../../phone/phone-context";
import { createI18n } from "../../i18n/i18n";
import { click, render } from "../credits/test-harness";
import { DialQueuePanel, itemText } from "./dial-queue-panel";
import { QueueBuilder } from "./queue-builder";

const callId = "00000000-0000-4000-8000-0000000000c1";
const item = (position: number, name: string, patch: Partial<DialQueueItem> = {}): DialQueueItem => ({
  position, contactId: `c${position}`, dealId: null, name, number: `+8190123400${String(position).padStart(2, "0")}`, state: "waiting", clientCallId: null, result: null, skipReason: null, opensAt: null, ...patch,
});
const queueOf = (status: DialQueue["status"], items: DialQueueItem[], handled: number, total = items.length): DialQueue => ({ id: "q1", name: "Tuesday", status, error: null, items, handled, total });

function phoneWith(call: CallState) {
  const hangUp = vi.fn();
  // One object: useSyncExternalStore re-renders for ever on a fresh snapshot each read.
  const snapshot = { call } as unknown as PhoneSnapshot;
  const phone = { subscribe: () => () => undefined, snapshot: () => snapshot, hangUp } as unknown as Phone;
  return { phone, hangUp };
}

const roots: Root[] = [];
afterEach(() => {
  act(() => {
    for (const root of roots.splice(0)) root.unmount();
  });
  document.body.innerHTML = "";
});

async function panel(queue: DialQueue, call: CallState, api: Partial<CallerApi> = {}) {
  const { phone, hangUp } = phoneWith(call);
  const rendered = await render(
    <PhoneContext.Provider value={phone}>
      <DialQueuePanel queue={queue} />
    </PhoneContext.Provider>,
    { on: () => () => undefined, ...api },
  );
  roots.push(rendered.root);
  return { container: rendered.container, hangUp };
}
const testIds = (container: HTMLElement) => [...container.querySelectorAll("button[data-testid]")].map((b) => b.getAttribute("data-testid"));

describe("the call queue panel", () => {
  it("a running queue reads '12 of 40', names who is called and who is next, and offers pause, skip and stop", async () => {
    const items = [item(0, "Aoi", { state: "done", result: "outcome" }), item(1, "Ben", { state: "calling", clientCallId: callId }), item(2, "Chika")];
    const ringing: CallState = { status: "ringing", callId, number: items[1]!.number, dialedAt: 1, ringingAt: 2, earlyMedia: false };
    const { container } = await panel(queueOf("running", items, 12, 40), ringing);
    expect(container.querySelector("[data-testid=dial-queue-progress]")?.textContent).toBe("12 of 40");
    expect(container.querySelector("[data-testid=dial-queue-status]")?.textContent).toBe("Calling Ben");
    expect(container.querySelector("[data-testid=dial-queue-next]")?.textContent).toBe("Next: Chika");
    expect(testIds(container)).toEqual(["dial-queue-pause", "dial-queue-skip", "dial-queue-skip-next", "dial-queue-stop"]);
  });

  it("Skip on the ringing call asks the core first, then hangs up; an answered call shows no Skip", async () => {
    const items = [item(0, "Aoi", { state: "calling", clientCallId: callId }), item(1, "Ben")];
    const skipDialQueueItem = vi.fn<CallerApi["skipDialQueueItem"]>(() => Promise.resolve({ queue: null }));
    const ringing: CallState = { status: "ringing", callId, number: items[0]!.number, dialedAt: 1, ringingAt: 2, earlyMedia: false };
    const { container, hangUp } = await panel(queueOf("running", items, 1), ringing, { skipDialQueueItem });
    await click(container.querySelector("[data-testid=dial-queue-skip]"));
    expect(skipDialQueueItem).toHaveBeenCalledWith({ position: 0 });
    expect(hangUp).toHaveBeenCalledTimes(1);

    const connected: CallState = { status: "connected", callId, number: items[0]!.number, dialedAt: 1, connectedAt: 3 };
    const answered = await panel(queueOf("running", items, 1), connected);
    expect(testIds(answered.container)).not.toContain("dial-queue-skip");
  });

  it("paused: Resume, and it asks the core to start again; stopped: nothing shown", async () => {
    const startDialQueue = vi.fn<CallerApi["startDialQueue"]>(() => Promise.resolve({ queue: null }));
    const { container } = await panel(queueOf("paused", [item(0, "Aoi", { state: "done" }), item(1, "Ben")], 1), { status: "idle" }, { startDialQueue });
    expect(container.querySelector("[data-testid=dial-queue-status]")?.textContent).toBe("Paused.");
    await click(container.querySelector("[data-testid=dial-queue-start]"));
    expect(startDialQueue).toHaveBeenCalledTimes(1);
    const stopped = await panel(queueOf("stopped", [item(0, "Aoi")], 0), { status: "idle" });
    expect(stopped.container.querySelector("[data-testid=dial-queue]")).toBeNull();
  });

  it("names each skipped item's reason, in English and Japanese", async () => {
    const en = (await createI18n("en")).t;
    const ja = (await createI18n("ja")).t;
    const opens = Date.UTC(2026, 10, 24, 14, 0);
    const cases: [DialQueueItem, string, string][] = [
      [item(0, "A", { state: "skipped", skipReason: "no_credit" }), "Not enough credit", "クレジットが足りません"],
      [item(1, "B", { state: "skipped", skipReason: "by_user", result: "no_answer" }), "Skipped while ringing: logged as No answer", "呼び出し中にスキップ: 応答なしとして記録しました"],
      [item(2, "C", { state: "skipped", skipReason: "outside_calling_hours" }), "Outside calling hours in the number's time zone", "発信可能時間外です (番号の地域の時刻)"],
    ];
    for (const [it_, english, japanese] of cases) {
      expect(itemText(it_, en, "en")).toBe(english);
      expect(itemText(it_, ja, "ja")).toBe(japanese);
    }
    const strict = item(3, "D", { state: "skipped", skipReason: "outside_calling_hours_all_zones", opensAt: opens });
    expect(itemText(strict, en, "en")).toMatch(/^Outside calling hours in one of its country's time zones \(the number does not tell which is its own; opens .+\)$/);
    expect(itemText(strict, ja, "ja")).toMatch(/^発信可能時間外です \(番号から地域を特定できないため、国内のすべてのタイムゾーンで判定、.+ から\)$/);
  });
});

describe("the queue builder", () => {
  const rows = [
    { kind: "contact" as const, id: "c1", name: "Aoi" },
    { kind: "contact" as const, id: "c2", name: "Nobody" },
    { kind: "contact" as const, id: "c3", name: "Bad" },
  ];

  it("builds from the list's rows (the filter), or only from the ticked ones", async () => {
    const buildDialQueue = vi.fn<CallerApi["buildDialQueue"]>(() => Promise.resolve({ ok: true, queue: queueOf("ready", [item(0, "Aoi")], 0) }));
    const all = await render(<QueueBuilder rows={rows} selected={new Set()} listName="Contacts" />, { buildDialQueue });
    const button = all.container.querySelector("[data-testid=queue-build]");
    expect(button?.textContent).toBe("Call these (3)");
    await click(button);
    expect(buildDialQueue).toHaveBeenLastCalledWith({ name: "Contacts", rows: rows.map(({ kind, id }) => ({ kind, id })) });
    const some = await render(<QueueBuilder rows={rows} selected={new Set(["c1", "c3"])} listName="Contacts" />, { buildDialQueue });
    await click(some.container.querySelector("[data-testid=queue-build]"));
    expect(buildDialQueue).toHaveBeenLastCalledWith({ name: "Contacts", rows: [{ kind: "contact", id: "c1" }, { kind: "contact", id: "c3" }] });
  });

  it("names every row that cannot be dialed, builds nothing, and can leave them out", async () => {
    const buildDialQueue = vi
      .fn<CallerApi["buildDialQueue"]>()
      .mockResolvedValueOnce({ ok: false, problems: [{ index: 1, name: "Nobody", number: null, problem: "no_number" }, { index: 2, name: "Bad", number: "+81 12", problem: "invalid_number" }] })
      .mockResolvedValueOnce({ ok: true, queue: queueOf("ready", [item(0, "Aoi")], 0) });
    const { container } = await render(<QueueBuilder rows={rows} selected={new Set()} listName="Contacts" />, { buildDialQueue });
    await click(container.querySelector("[data-testid=queue-build]"));
    expect([...container.querySelectorAll("[data-testid=queue-problem]")].map((p) => p.textContent)).toEqual(["Nobody: has no phone number", "Bad: +81 12 is not a number that can be dialed"]);
    await click(container.querySelector("[data-testid=queue-leave-out]"));
    expect(buildDialQueue).toHaveBeenLastCalledWith({ name: "Contacts", rows: [{ kind: "contact", id: "c1" }] });
    expect(container.querySelector("[data-testid=queue-problems]")).toBeNull();
  });
});
