import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HistoryFilter, HistorySort, OutcomeLabels } from "../../../src-shared/api/areas/crm";
import type { Change } from "../../../src-shared/server-api/changes";
import type { Person } from "../../../src-shared/server-api/crm";
import { applyChange } from "../apply-change";
import { upsertCalls, type CallInput } from "./calls-repo";
import { historyTotals, searchCalls } from "./history-search";
import { storeClients } from "./open-knex";
import { openTempStore, type TempStore } from "./temp-store";

const t0 = Date.UTC(2026, 10, 1);
const ja: OutcomeLabels = { connected: "つながった", no_answer: "応答なし", busy: "話し中", left_voicemail: "留守電にメッセージ", wrong_number: "番号違い" };
const en: OutcomeLabels = { connected: "Connected", no_answer: "No answer", busy: "Busy", left_voicemail: "Left voicemail", wrong_number: "Wrong number" };

function call(n: number, patch: Partial<CallInput>): CallInput {
  return {
    id: String(n), direction: "outbound", number: `+1201555900${n}`, startedAt: t0 + n * 60_000, answeredAt: null, endedAt: null,
    billedSeconds: 10 * n, disposition: "answered", costMicros: 1_000 * n, outcome: null, notes: null, updatedSeq: n, ...patch,
  };
}
const person = (id: string, name: string, number: string): Person => ({ id, name, email: null, organizationId: null, organizationName: null, phones: [{ number, label: "work" }], updatedAt: t0 });
const change = (seq: number, entityId: string, data: unknown): Change => ({ seq, entity: "person", entityId, op: "upsert", data, at: t0 });

describe.each(storeClients)("history outcomes and sorting on %s", (client) => {
  let store: TempStore;
  beforeEach(async () => {
    store = await openTempStore(client);
    await upsertCalls(store.knex, [
      // A current server: a default by key (its English name alongside for older desktops).
      call(1, { outcome: "Connected", outcomeKey: "connected", notes: "sent the quote", costMicros: 5_000, billedSeconds: 300 }),
      // An older server or an old change: only the English name.
      call(2, { outcome: "Left voicemail", costMicros: null, billedSeconds: 0 }),
      call(3, { outcome: "Interested", costMicros: 9_000, billedSeconds: 20 }),
      // A default the admin renamed: shown as typed.
      call(4, { outcome: "Occupied", outcomeKey: "busy", costMicros: 1_000, billedSeconds: 120 }),
      call(5, { outcome: null, number: "+12015550123", costMicros: 2_000, billedSeconds: 60 }),
    ]);
  });
  afterEach(() => store.dispose());

  const ids = async (query: string, labels?: OutcomeLabels, more: Partial<HistoryFilter> = {}) =>
    (await searchCalls(store.knex, { query, ...more }, { limit: 50 }, { outcomeLabels: labels })).map((c) => c.id);
  const sorted = async (sort: HistorySort, labels?: OutcomeLabels) => (await searchCalls(store.knex, { query: "" }, { limit: 50 }, { sort, outcomeLabels: labels })).map((c) => c.id);

  it("stores a default outcome by its key, whether the sender gave the key or only the English name, and an admin's name as typed", async () => {
    const calls = new Map((await searchCalls(store.knex, { query: "" }, { limit: 50 })).map((c) => [c.id, c]));
    expect(calls.get("1")).toMatchObject({ outcome: null, outcomeKey: "connected" });
    expect(calls.get("2")).toMatchObject({ outcome: null, outcomeKey: "left_voicemail" });
    expect(calls.get("3")).toMatchObject({ outcome: "Interested", outcomeKey: null });
    expect(calls.get("4")).toMatchObject({ outcome: "Occupied", outcomeKey: "busy" });
  });

  it("finds a default outcome by its label in the reader's language, alone or with other words", async () => {
    expect(await ids("つながった", ja)).toEqual(["1"]);
    expect(await ids("留守電", ja)).toEqual(["2"]);
    expect(await ids("つながった quote", ja)).toEqual(["1"]);
    expect(await ids("つながった voicemail", ja)).toEqual([]);
    // The English label does not match in Japanese, and does in English.
    expect(await ids("voicemail", ja)).toEqual([]);
    expect(await ids("voicemail", en)).toEqual(["2"]);
    expect(await ids("connected", en)).toEqual(["1"]);
    // An admin's name matches as typed in any language; a renamed default by its new name only.
    expect(await ids("interested", ja)).toEqual(["3"]);
    expect(await ids("occupied", ja)).toEqual(["4"]);
    expect(await ids("話し中", ja)).toEqual(["4"]);
    expect((await historyTotals(store.knex, { query: "つながった" }, ja)).count).toBe(1);
  });

  it("filters by a default outcome's key", async () => {
    expect(await ids("", undefined, { outcomeKey: "left_voicemail" })).toEqual(["2"]);
    expect(await ids("", undefined, { outcome: "Interested" })).toEqual(["3"]);
  });

  it("sorts by duration, cost (no cost last), outcome label and party, ties newest first", async () => {
    expect(await sorted({ by: "time", direction: "asc" })).toEqual(["1", "2", "3", "4", "5"]);
    expect(await sorted({ by: "duration", direction: "desc" })).toEqual(["1", "4", "5", "3", "2"]);
    expect(await sorted({ by: "duration", direction: "asc" })).toEqual(["2", "3", "5", "4", "1"]);
    expect(await sorted({ by: "cost", direction: "asc" })).toEqual(["4", "5", "1", "3", "2"]);
    expect(await sorted({ by: "cost", direction: "desc" })).toEqual(["3", "1", "5", "4", "2"]);
    // English: Connected, Interested, Left voicemail, Occupied; no outcome last.
    expect(await sorted({ by: "outcome", direction: "asc" }, en)).toEqual(["1", "3", "2", "4", "5"]);
    expect(await sorted({ by: "outcome", direction: "desc" }, en)).toEqual(["4", "2", "3", "1", "5"]);
  });

  it("names the mirrored person whose number an unlinked call dialled, and sorts by that name", async () => {
    await store.knex.transaction((trx) => applyChange(trx, change(100, "9", person("9", "Aoki Hana", "+12015550123"))));
    const [found] = await searchCalls(store.knex, { query: "" }, { limit: 1 }, { sort: { by: "party", direction: "asc" } });
    expect(found).toMatchObject({ id: "5", contactId: "9", contactName: "Aoki Hana" });
  });
});
