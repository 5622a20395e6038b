import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { countCalls, deleteCall, getCall, listCalls, upsertCalls } from "./calls-repo";
import type { CallInput } from "./calls-repo";
import { storeClients } from "./open-knex";
import { openTempStore } from "./temp-store";
import type { TempStore } from "./temp-store";

const t0 = Date.UTC(2026, 10, 1, 9, 0, 0);

function call(n: number, patch: Partial<CallInput> = {}): CallInput {
  const startedAt = t0 + n * 60_000;
  return {
    id: `call-${String(n).padStart(5, "0")}`,
    direction: n % 3 === 0 ? "inbound" : "outbound",
    number: `+8131234${String(n).padStart(4, "0")}`,
    startedAt,
    answeredAt: startedAt + 5_000,
    endedAt: startedAt + 65_000,
    billedSeconds: 60,
    disposition: "ANSWERED",
    costMicros: 120_000,
    outcome: null,
    notes: null,
    updatedSeq: n,
    ...patch,
  };
}

describe.each(storeClients)("calls repository on %s", (client) => {
  let store: TempStore;
  beforeEach(async () => {
    store = await openTempStore(client);
  });
  afterEach(() => store.dispose());

  it("lists calls newest first, mapped to history rows", async () => {
    await upsertCalls(store.knex, [call(1), call(3), call(2, { costMicros: null, answeredAt: null })]);
    const listed = await listCalls(store.knex, { limit: 10 });
    expect(listed.map((c) => c.id)).toEqual(["call-00003", "call-00002", "call-00001"]);
    expect(listed[1]).toEqual({
      id: "call-00002",
      direction: "outbound",
      number: "+81312340002",
      startedAt: t0 + 120_000,
      answeredAt: null,
      endedAt: t0 + 185_000,
      billedSeconds: 60,
      disposition: "ANSWERED",
      costMicros: null,
      outcome: null,
      outcomeKey: null,
      notes: null,
    });
  });

  it("pages with `before` through every call exactly once", async () => {
    await upsertCalls(store.knex, Array.from({ length: 25 }, (_, i) => call(i)));
    const seen: string[] = [];
    let before: number | undefined;
    for (let page = 0; page < 10; page += 1) {
      const rows = await listCalls(store.knex, { limit: 10, before });
      if (rows.length === 0) break;
      seen.push(...rows.map((r) => r.id));
      before = rows.at(-1)!.startedAt;
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    expect(seen[0]).toBe("call-00024");
    expect(seen.at(-1)).toBe("call-00000");
  });

  it("stores a batch larger than one statement can bind, all in one go", async () => {
    await upsertCalls(store.knex, Array.from({ length: 3_000 }, (_, i) => call(i)));
    expect(await countCalls(store.knex)).toBe(3_000);
  });

  it("stores none of a batch when one row is invalid", async () => {
    const bad = { ...call(2_999), direction: "sideways" } as unknown as CallInput;
    const rows = [...Array.from({ length: 2_000 }, (_, i) => call(i)), bad];
    await expect(upsertCalls(store.knex, rows)).rejects.toThrow(/CHECK constraint/);
    expect(await countCalls(store.knex)).toBe(0);
  });

  it("replaces a call with a newer change and keeps its CRM links", async () => {
    await upsertCalls(store.knex, [call(1, { contactId: "contact-9" })]);
    await upsertCalls(store.knex, [call(1, { outcome: "interested", notes: "call back Friday", updatedSeq: 50, contactId: "contact-9" })]);
    expect(await getCall(store.knex, "call-00001")).toMatchObject({
      outcome: "interested",
      notes: "call back Friday",
      contactId: "contact-9",
      dealId: null,
      updatedSeq: 50,
    });
    expect(await countCalls(store.knex)).toBe(1);
  });

  it("never lets a replayed older change overwrite a newer one", async () => {
    await upsertCalls(store.knex, [call(1, { outcome: "interested", updatedSeq: 50 })]);
    await upsertCalls(store.knex, [call(1, { outcome: null, updatedSeq: 10 })]);
    expect((await getCall(store.knex, "call-00001"))?.outcome).toBe("interested");
  });

  it("keeps who transferred a call in to the user, and nothing for other calls", async () => {
    await upsertCalls(store.knex, [call(3, { transferredBy: "Aiko Admin" }), call(4)]);
    const [fourth, third] = await listCalls(store.knex, { limit: 10 });
    expect(third).toMatchObject({ id: "call-00003", direction: "inbound", transferredBy: "Aiko Admin" });
    expect(fourth).not.toHaveProperty("transferredBy");
    expect((await getCall(store.knex, "call-00003"))?.transferredBy).toBe("Aiko Admin");
  });

  it("deletes a call and says whether it existed", async () => {
    await upsertCalls(store.knex, [call(1), call(2)]);
    expect(await deleteCall(store.knex, "call-00001")).toBe(true);
    expect(await deleteCall(store.knex, "call-00001")).toBe(false);
    expect(await getCall(store.knex, "call-00001")).toBeUndefined();
    expect(await countCalls(store.knex)).toBe(1);
  });
});
