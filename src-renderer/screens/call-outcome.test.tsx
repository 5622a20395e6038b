import { act } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { PendingOutcomes } from "../../src-shared/api/areas/company";
import type { OutcomesReply } from "../../src-shared/server-api/company-admin";
import type { CallerApi } from "../bridge/api";
import { CallOutcome, PendingOutcomePrompt } from "./call-outcome";
import { click, render, settle, submit, texts } from "./credits/test-harness";

const clientCallId = "00000000-0000-4000-8000-000000000001";
const offered: OutcomesReply = {
  outcomes: [
    { id: 1, key: "connected", name: null, enabled: true, position: 0 },
    { id: 2, key: "busy", name: null, enabled: false, position: 1 },
    { id: 3, key: null, name: "Demo booked", enabled: true, position: 2 },
  ],
  required: true,
};
const awaiting = (required: boolean): PendingOutcomes => ({
  required,
  pending: [{ clientCallId, number: "+81312345678", endedAt: 1, state: "awaiting", outcomeId: null, notes: "", error: null }],
});

afterEach(() => {
  document.body.innerHTML = "";
});

function pendingApi(initial: PendingOutcomes) {
  let listener: ((state: PendingOutcomes) => void) | null = null;
  const api: Partial<CallerApi> = {
    on: ((event: string, l: (state: PendingOutcomes) => void) => {
      if (event === "pendingOutcomesChanged") listener = l;
      return () => undefined;
    }) as CallerApi["on"],
    listPendingOutcomes: () => Promise.resolve(initial),
    noteCallEnded: () => Promise.resolve(initial),
    getCallOutcomes: () => Promise.resolve(offered),
  };
  return { api, push: (state: PendingOutcomes) => act(async () => {
    listener?.(state);
    await settle();
  }) };
}

describe("the end-of-call outcome picker", () => {
  it("offers only enabled outcomes and logs the choice with notes", async () => {
    const { api, push } = pendingApi(awaiting(true));
    const logCallOutcome = vi.fn<CallerApi["logCallOutcome"]>(() => Promise.resolve({ required: true, pending: [] }));
    const { container } = await render(<CallOutcome clientCallId={clientCallId} number="+81312345678" endedAt={1} />, { ...api, logCallOutcome });
    expect(texts(container, "[data-testid=outcome-choice]").map((s) => s.trim())).toEqual(["Connected", "Demo booked"]);
    expect(container.textContent).not.toContain("Skip");
    const notes = container.querySelector("textarea")!;
    await act(async () => {
      Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value")!.set!.call(notes, "Call back Friday");
      notes.dispatchEvent(new Event("input", { bubbles: true }));
      await settle();
    });
    await click(container.querySelectorAll("[data-testid=outcome-choice] input")[1] ?? null);
    await submit(container.querySelector("[data-testid=call-outcome]"));
    expect(logCallOutcome).toHaveBeenCalledWith({ clientCallId, outcomeId: 3, notes: "Call back Friday" });
    await push({ required: true, pending: [] });
    expect(container.querySelector("[data-testid=outcome-saved]")).not.toBeNull();
  });

  it("after a restart, asks again for a call still pending when outcomes are required, and says when one is only queued", async () => {
    const { api, push } = pendingApi(awaiting(true));
    const { container } = await render(<PendingOutcomePrompt />, api);
    expect(container.querySelector("[data-testid=call-outcome]")).not.toBeNull();
    await push({ required: true, pending: [{ ...awaiting(true).pending[0]!, state: "queued", outcomeId: 1 }] });
    expect(container.querySelector("[data-testid=call-outcome]")).toBeNull();
    expect(container.querySelector("[data-testid=pending-outcomes]")?.textContent).toContain("sent when the server can be reached");
  });

  it("does not nag after a restart when outcomes are optional", async () => {
    const { api } = pendingApi(awaiting(false));
    const { container } = await render(<PendingOutcomePrompt />, api);
    expect(container.innerHTML).toBe("");
  });
});
