import type { WebContents } from "electron";
import { describe, expect, it, vi } from "vitest";
import type { ApiHandlers } from "../../src-shared/api/contract";
import type { EarlyAnswers } from "../host/early-answers";
import { createEarlyIpc } from "./early-ipc";

const answers: EarlyAnswers = {
  getSession: {
    signedIn: true,
    serverUrl: "https://caller.example.com",
    user: { id: 7, companyId: 3, email: "sales@demo.example", name: "Sato Sales", role: "regular", locale: "ja" },
    company: { id: 3, name: "Demo K.K.", plan: "professional", isTrial: false, country: "JP", currency: "USD", timeZone: "Asia/Tokyo" },
    callerEnabled: true,
  },
  getSettings: { language: "ja", defaultCountry: null },
  getSyncState: { status: "syncing", lastSeq: 4, lastSyncedAt: null, error: null, progress: null, pendingEdits: 0 },
};

function page(destroyed = false) {
  const sent: Array<[string, unknown]> = [];
  return { sent, contents: { isDestroyed: () => destroyed, send: (channel: string, payload: unknown) => void sent.push([channel, payload]) } as unknown as WebContents };
}

const coreState = {
  getSession: () => Promise.resolve({ signedIn: false, serverUrl: "https://caller.example.com" }),
  getSyncState: () => Promise.resolve({ status: "idle", lastSeq: 9, lastSyncedAt: 1, error: null, progress: null, pendingEdits: 0 }),
} as unknown as ApiHandlers;

describe("the Electron page's first calls, answered before the core is up", () => {
  it("answers session, settings and sync state from the store, and wants the core once all three are asked", () => {
    const wantCore = vi.fn();
    const early = createEarlyIpc(answers, wantCore);
    const { contents } = page();
    expect(early.answer("getSession", {}, contents)).toEqual({ ok: true, value: answers.getSession });
    expect(early.answer("getSettings", {}, contents)).toEqual({ ok: true, value: answers.getSettings });
    expect(wantCore).not.toHaveBeenCalled();
    expect(early.answer("getSyncState", {}, contents)).toEqual({ ok: true, value: answers.getSyncState });
    expect(wantCore).toHaveBeenCalled();
  });

  it("leaves every other call, and one with arguments, to the core, and wants it at once", () => {
    const wantCore = vi.fn();
    const early = createEarlyIpc(answers, wantCore);
    const { contents } = page();
    expect(early.answer("listHistory", { limit: 5 }, contents)).toBeNull();
    expect(wantCore).toHaveBeenCalledTimes(1);
    expect(early.answer("getSession", { extra: true }, contents)).toBeNull();
    expect(early.answer("getSession", null, contents)).toBeNull();
  });

  it("answers nothing with no signed-in store", () => {
    const wantCore = vi.fn();
    expect(createEarlyIpc(null, wantCore).answer("getSession", {}, page().contents)).toBeNull();
    expect(wantCore).toHaveBeenCalled();
  });

  it("once the core is up, answers no more and tells each page answered early the core's session and sync state", async () => {
    const early = createEarlyIpc(answers, () => undefined);
    const answered = page();
    const gone = page(true);
    const other = page();
    early.answer("getSession", {}, answered.contents);
    early.answer("getSyncState", {}, gone.contents);
    await early.coreUp(coreState);
    expect(answered.sent).toEqual([
      ["caller:event:sessionChanged", { signedIn: false, serverUrl: "https://caller.example.com" }],
      ["caller:event:syncChanged", { status: "idle", lastSeq: 9, lastSyncedAt: 1, error: null, progress: null, pendingEdits: 0 }],
    ]);
    expect(gone.sent).toEqual([]);
    expect(other.sent).toEqual([]);
    expect(early.answer("getSession", {}, answered.contents)).toBeNull();
  });
});
