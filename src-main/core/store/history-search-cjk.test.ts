import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Person } from "../../../src-shared/server-api/crm";
import { applyChange } from "../apply-change";
import { upsertCalls, type CallInput } from "./calls-repo";
import { historyTotals, searchCalls } from "./history-search";
import { parseHistoryText } from "./history-search-text";
import { storeClients } from "./open-knex";
import { openTempStore, type TempStore } from "./temp-store";

const t0 = Date.UTC(2026, 10, 1);
const call = (n: number, patch: Partial<CallInput>): CallInput => ({
  id: String(n), direction: "outbound", number: `+8131234${String(n).padStart(4, "0")}`, startedAt: t0 + n * 60_000, answeredAt: null, endedAt: null,
  billedSeconds: 0, disposition: "answered", costMicros: null, outcome: null, notes: null, updatedSeq: n, ...patch,
});
const person = (id: string, name: string): Person => ({ id, name, email: null, organizationId: null, organizationName: null, phones: [], updatedAt: t0 });

describe("reading a Japanese query", () => {
  it("sends 3+ CJK characters to the trigram index, 1–2 to a LIKE, and other words to the word index, all quoted", () => {
    expect(parseHistoryText("山田中央 田中 pricing")).toEqual({ words: '"pricing"*', trigram: '"山田中央"', likes: ["%田中%"] });
    expect(parseHistoryText('田中" OR "x')).toEqual({ trigram: '"田中"""', words: '"OR"* AND """x"*', likes: [] });
    expect(parseHistoryText("%田 _")).toMatchObject({ likes: ["%\\%田%"], words: null });
  });
});

describe.each(storeClients)("Japanese substring search on %s", (client) => {
  let store: TempStore;
  beforeEach(async () => {
    store = await openTempStore(client);
    await store.knex.transaction((trx) => applyChange(trx, { seq: 100, entity: "person", entityId: "5", op: "upsert", data: person("5", "山田中央"), at: t0 }));
    await upsertCalls(store.knex, [
      call(1, { contactId: "5", contactName: "山田中央" }),
      call(2, { notes: "田中様から折り返し希望" }),
      call(3, { notes: "見積もりを送付", userId: "7" }),
      call(4, { notes: "Tanaka asked for pricing", userId: "8" }),
    ]);
  });
  afterEach(() => store.close());
  const ids = async (query: string, userId?: string) => (await searchCalls(store.knex, { query, ...(userId === undefined ? {} : { userId }) }, { limit: 10 })).map((c) => c.id);

  it("finds 田中 inside 山田中央 (a name without spaces) and inside a note, newest first, with totals", async () => {
    expect(await ids("田中")).toEqual(["2", "1"]);
    expect(await historyTotals(store.knex, { query: "田中" })).toMatchObject({ count: 2 });
  });

  it("finds three characters or more through the trigram index, inside a word", async () => {
    expect(await ids("田中央")).toEqual(["1"]);
    expect(await ids("折り返し")).toEqual(["2"]);
    expect(await ids("見積もり 送付")).toEqual(["3"]);
    expect(await ids("見積もり tanaka")).toEqual([]);
    // FTS5 syntax in the text is only text.
    expect(await ids('田中" OR "x')).toEqual([]);
    expect(await ids("NEAR(田中 x) *")).toEqual([]);
  });

  it("a single kanji works, and a renamed contact is found by the new name only", async () => {
    expect(await ids("央")).toEqual(["1"]);
    await store.knex.transaction((trx) => applyChange(trx, { seq: 101, entity: "person", entityId: "5", op: "upsert", data: person("5", "佐藤花子"), at: t0 }));
    expect(await ids("山田")).toEqual([]);
    expect(await ids("佐藤花子")).toEqual(["1"]);
  });

  it("filters by whose call it is", async () => {
    expect(await ids("", "7")).toEqual(["3"]);
    expect(await ids("pricing", "8")).toEqual(["4"]);
    expect(await ids("pricing", "7")).toEqual([]);
  });
});
