import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Person } from "../../src-shared/server-api/crm";
import { CallerError } from "../../src-shared/errors";
import { getLocalPerson, upsertPerson } from "./store/crm-repo";
import { countOutbox, peekBatch } from "./store/outbox-repo";
import { openTempStore, type TempStore } from "./store/temp-store";
import { queueEdit, reapplyQueued, replayOutbox, type Sender } from "./sync-outbox";

const jane: Person = { id: "1", name: "Jane Cooper", email: null, organizationId: null, organizationName: null, phones: [], updatedAt: 1 };
const edit = (patch: Record<string, unknown>, userId = 2) => ({ kind: "person-edit" as const, payload: { userId, id: "1", editedAt: Date.now(), patch } });

/** A server that remembers applied keys, like sync_edit_requests, and can be switched off. */
function fakeServer() {
  const applied = new Map<string, unknown>();
  const server = {
    down: false,
    applied,
    sender: {
      request: (_schema: unknown, _method: string, path: string, body?: unknown) => {
        if (server.down) return Promise.reject(new CallerError("server_unreachable", "down"));
        const key = (body as { idempotencyKey: string }).idempotencyKey;
        if (!applied.has(key)) applied.set(key, { path, body });
        return Promise.resolve({ applied: [], kept: [], refused: [], replay: false, person: jane }) as never;
      },
    } as Sender,
  };
  return server;
}

describe("the outbox of edits made on this device", () => {
  let store: TempStore;
  beforeEach(async () => {
    store = await openTempStore("better-sqlite3");
    await store.knex.transaction((trx) => upsertPerson(trx, jane, 5));
  });
  afterEach(() => store.close());

  it("an edit queued then overwritten by a feed page goes back on top until the server confirms it", async () => {
    await queueEdit(store.knex, edit({ name: "Jane Offline" }));
    expect((await getLocalPerson(store.knex, "1"))?.name).toBe("Jane Offline");
    await store.knex.transaction(async (trx) => {
      await upsertPerson(trx, { ...jane, email: "jane@server.example" }, 6);
      await reapplyQueued(trx, ["person:1"]);
    });
    expect(await getLocalPerson(store.knex, "1")).toMatchObject({ name: "Jane Offline", email: "jane@server.example" });
  });

  it("replays in order, stops while offline, and a resend after a crash reuses the key", async () => {
    const server = fakeServer();
    await queueEdit(store.knex, edit({ name: "A" }));
    await queueEdit(store.knex, edit({ email: "b@example.com" }));
    server.down = true;
    const offline = await replayOutbox(store.knex, server.sender, 2, () => undefined);
    expect(offline.stoppedBy?.code).toBe("server_unreachable");
    expect(await countOutbox(store.knex)).toBe(2);

    // As if the process died after the server applied the first edit but before the outbox forgot it.
    server.down = false;
    const [first] = await peekBatch(store.knex, 1);
    await server.sender.request({} as never, "POST", "/x", { idempotencyKey: first!.idempotencyKey });
    const done = await replayOutbox(store.knex, server.sender, 2, () => undefined);
    expect(done).toMatchObject({ sent: 2, stoppedBy: null });
    expect(server.applied.size).toBe(2);
    expect(await countOutbox(store.knex)).toBe(0);
  });

  it("another user's queued edits wait on this device for them", async () => {
    const server = fakeServer();
    await queueEdit(store.knex, edit({ name: "Theirs" }, 3));
    expect(await replayOutbox(store.knex, server.sender, 2, () => undefined)).toMatchObject({ sent: 0, stoppedBy: null });
    expect(await countOutbox(store.knex)).toBe(1);
  });

  it("a refused edit comes back as its refusal (code, reason, params), and a failure kept for a retry is stored so the app can word it", async () => {
    const refusal = new CallerError("bad_request", "name: fill this in", { reason: "invalid_field", params: { field: "name", rule: "required" } });
    let failing: CallerError = refusal;
    const sender: Sender = { request: (_schema, method) => (method === "GET" ? Promise.resolve(jane as never) : Promise.reject(failing)) };
    await queueEdit(store.knex, edit({ name: "" }));
    const result = await replayOutbox(store.knex, sender, 2, () => undefined);
    expect(result).toMatchObject({ sent: 0, stoppedBy: null, refused: [{ code: "bad_request", message: "name: fill this in", reason: "invalid_field", params: { field: "name", rule: "required" } }] });
    expect(await getLocalPerson(store.knex, "1")).toMatchObject({ name: "Jane Cooper" });

    failing = new CallerError("internal", "the database is busy");
    await queueEdit(store.knex, edit({ name: "B" }));
    expect((await replayOutbox(store.knex, sender, 2, () => undefined)).stoppedBy?.code).toBe("internal");
    const [kept] = await peekBatch(store.knex, 1);
    expect(JSON.parse(kept?.lastError ?? "")).toEqual({ code: "internal", message: "the database is busy" });
  });
});
