import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { storeClients } from "./open-knex";
import { countOutbox, enqueue, markDone, markFailed, peekBatch } from "./outbox-repo";
import { openTempStore } from "./temp-store";
import type { TempStore } from "./temp-store";

const outcome = (key: string, outcomeId = "interested") => ({
  idempotencyKey: key,
  kind: "call.outcome",
  payload: { callId: "c-1", outcome: outcomeId },
});

describe.each(storeClients)("outbox repository on %s", (client) => {
  let store: TempStore;
  beforeEach(async () => {
    store = await openTempStore(client);
  });
  afterEach(() => store.dispose());

  it("queues an item and hands it back with its payload", async () => {
    const id = await enqueue(store.knex, outcome("k1"), 1234);
    expect(id).toEqual(expect.any(Number));
    expect(await peekBatch(store.knex, 10)).toEqual([
      { id, ...outcome("k1"), createdAt: 1234, attempts: 0, lastError: null },
    ]);
  });

  it("ignores a second item with the same idempotency key, keeping the first", async () => {
    const first = await enqueue(store.knex, outcome("k1", "interested"));
    const second = await enqueue(store.knex, outcome("k1", "not-interested"));
    expect(first).not.toBeNull();
    expect(second).toBeNull();
    const items = await peekBatch(store.knex, 10);
    expect(items).toHaveLength(1);
    expect(items[0]?.payload).toEqual({ callId: "c-1", outcome: "interested" });
  });

  it("peeks the oldest n items first and leaves them queued", async () => {
    for (const key of ["a", "b", "c"]) await enqueue(store.knex, outcome(key));
    expect((await peekBatch(store.knex, 2)).map((i) => i.idempotencyKey)).toEqual(["a", "b"]);
    expect(await countOutbox(store.knex)).toBe(3);
  });

  it("removes an item marked done", async () => {
    const id = (await enqueue(store.knex, outcome("a")))!;
    await enqueue(store.knex, outcome("b"));
    await markDone(store.knex, id);
    expect((await peekBatch(store.knex, 10)).map((i) => i.idempotencyKey)).toEqual(["b"]);
  });

  it("counts failed attempts and keeps the last error", async () => {
    const id = (await enqueue(store.knex, outcome("a")))!;
    await markFailed(store.knex, id, "timeout");
    await markFailed(store.knex, id, "HTTP 502");
    expect(await peekBatch(store.knex, 1)).toMatchObject([{ id, attempts: 2, lastError: "HTTP 502" }]);
  });

  it("hands back an unreadable payload as undefined instead of throwing", async () => {
    const id = (await enqueue(store.knex, outcome("a")))!;
    await store.knex("outbox").where({ id }).update({ payload: "{broken" });
    expect(await peekBatch(store.knex, 1)).toMatchObject([{ id, payload: undefined }]);
  });
});
