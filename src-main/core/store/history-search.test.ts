import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HistoryFilter } from "../../../src-shared/api/areas/crm";
import type { Change } from "../../../src-shared/server-api/changes";
import type { Person } from "../../../src-shared/server-api/crm";
import { applyChange } from "../apply-change";
import { upsertCalls, type CallInput } from "./calls-repo";
import { historyTotals, rebuildCallSearch, searchCalls, walkIndexAbove } from "./history-search";
import { storeClients } from "./open-knex";
import { openTempStore, type TempStore } from "./temp-store";

const t0 = Date.UTC(2026, 10, 1, 0, 0, 0);

function call(n: number, patch: Partial<CallInput> = {}): CallInput {
  const startedAt = t0 + n * 60_000;
  return {
    id: String(n),
    direction: n % 2 === 0 ? "outbound" : "inbound",
    number: `+1201555${String(n).padStart(4, "0")}`,
    startedAt,
    answeredAt: startedAt,
    endedAt: startedAt + 60_000,
    billedSeconds: 60,
    disposition: "answered",
    costMicros: 10_000 * n,
    outcome: null,
    notes: null,
    updatedSeq: n,
    ...patch,
  };
}

const person = (id: string, name: string): Person => ({ id, name, email: null, organizationId: null, organizationName: null, phones: [{ number: "+12015550001", label: "work" }], updatedAt: t0 });
const change = (seq: number, entity: string, entityId: string, data: unknown): Change => ({ seq, entity, entityId, op: "upsert", data, at: t0 });
const filter = (patch: Partial<HistoryFilter> = {}): HistoryFilter => ({ query: "", ...patch });

describe.each(storeClients)("history search on %s", (client) => {
  let store: TempStore;
  beforeEach(async () => {
    store = await openTempStore(client);
    await store.knex.transaction((trx) => applyChange(trx, change(1000, "person", "7", person("7", "Yamada Taro"))));
    await upsertCalls(store.knex, [
      call(1, { contactId: "7", contactName: "Yamada Taro", notes: "asked for a quote", outcome: "Interested" }),
      call(2, { notes: "voicemail, call back Friday", outcome: "No answer", recordingId: "55" }),
      call(3, { number: "+81312345678", contactId: "7", contactName: "Yamada Taro", outcome: "Interested" }),
      call(4, { costMicros: null, disposition: "busy", billedSeconds: 0 }),
    ]);
  });
  afterEach(() => store.dispose());

  const ids = async (f: Partial<HistoryFilter>, limit = 50) => (await searchCalls(store.knex, filter(f), { limit })).map((c) => c.id);

  it("finds calls by contact name, note words and outcome, newest first", async () => {
    expect(await ids({ query: "yama" })).toEqual(["3", "1"]);
    expect(await ids({ query: "quote" })).toEqual(["1"]);
    expect(await ids({ query: "interest" })).toEqual(["3", "1"]);
    expect(await ids({ query: "call back" })).toEqual(["2"]);
  });

  it("finds a number by any run of its digits, however it is typed", async () => {
    expect(await ids({ query: "5550002" })).toEqual(["2"]);
    expect(await ids({ query: "+1 (201) 555-0004" })).toEqual(["4"]);
    expect(await ids({ query: "3123" })).toEqual(["3"]);
  });

  it("treats hostile text as words, never as FTS5 syntax", async () => {
    for (const text of ['"', "*", "NEAR(quote call)", "quote OR voicemail", "(", "notes:quote", "yamada AND", "-quote", "^"]) {
      await expect(searchCalls(store.knex, filter({ query: text }), { limit: 10 })).resolves.toBeDefined();
    }
    expect(await ids({ query: "quote OR voicemail" })).toEqual([]);
    expect(await ids({ query: "*" })).toEqual(["4", "3", "2", "1"]);
  });

  it("combines filters and totals the filtered set", async () => {
    expect(await ids({ direction: "outbound" })).toEqual(["4", "2"]);
    expect(await ids({ hasRecording: true })).toEqual(["2"]);
    expect(await ids({ minCostMicros: 20_000 })).toEqual(["3", "2"]);
    expect(await ids({ from: t0 + 2 * 60_000, to: t0 + 4 * 60_000 })).toEqual(["3", "2"]);
    expect(await ids({ contactId: "7", outcome: "Interested" })).toEqual(["3", "1"]);
    expect(await historyTotals(store.knex, filter({ query: "yamada" }))).toEqual({ count: 2, seconds: 120, costMicros: 40_000 });
    expect(await historyTotals(store.knex, filter())).toEqual({ count: 4, seconds: 180, costMicros: 60_000 });
  });

  it("returns a word found in many calls newest first, walking the started_at index", async () => {
    await upsertCalls(store.knex, Array.from({ length: walkIndexAbove + 100 }, (_, i) => call(100 + i, { notes: i % 2 === 0 ? "bulk order" : "bulk quote" })));
    const found = await searchCalls(store.knex, filter({ query: "bulk" }), { limit: 5, offset: 1 });
    expect(found.map((c) => c.id)).toEqual(["698", "697", "696", "695", "694"]);
    expect((await searchCalls(store.knex, filter({ query: "bulk order" }), { limit: 2 })).map((c) => c.id)).toEqual(["698", "696"]);
    expect((await historyTotals(store.knex, filter({ query: "bulk" }))).count).toBe(walkIndexAbove + 100);
  });

  it("pages by offset and by the previous page's last row", async () => {
    expect((await searchCalls(store.knex, filter(), { limit: 2, offset: 2 })).map((c) => c.id)).toEqual(["2", "1"]);
    expect((await searchCalls(store.knex, filter(), { limit: 2, before: { startedAt: t0 + 3 * 60_000, id: "3" } })).map((c) => c.id)).toEqual(["2", "1"]);
  });

  it("shows and searches a renamed person's new name on their old calls", async () => {
    await store.knex.transaction((trx) => applyChange(trx, change(1001, "person", "7", person("7", "Suzuki Ichiro"))));
    expect(await ids({ query: "suzuki" })).toEqual(["3", "1"]);
    expect(await ids({ query: "yamada" })).toEqual([]);
    expect((await searchCalls(store.knex, filter({ query: "suzuki" }), { limit: 1 }))[0]?.contactName).toBe("Suzuki Ichiro");
  });

  it("keeps the index in step when a call's notes change or it is deleted, and rebuilds it", async () => {
    await upsertCalls(store.knex, [call(4, { notes: "wrong number", updatedSeq: 10 })]);
    expect(await ids({ query: "wrong" })).toEqual(["4"]);
    await store.knex.transaction((trx) => applyChange(trx, { ...change(11, "call", "4", null), op: "delete" }));
    expect(await ids({ query: "wrong" })).toEqual([]);
    await rebuildCallSearch(store.knex);
    expect(await ids({ query: "quote" })).toEqual(["1"]);
  });

  it("keeps a known recording when a later change does not mention it", async () => {
    await upsertCalls(store.knex, [call(2, { outcome: "Callback", updatedSeq: 20 })]);
    expect((await searchCalls(store.knex, filter({ query: "callback" }), { limit: 1 }))[0]?.recordingId).toBe("55");
  });
});
