import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The upgraded store's outbox sent to the real company server over loopback HTTP (test only).
// eslint-disable-next-line no-restricted-imports -- the server under test, not code the core uses
import { startTestServer, demoCredentials, type TestServer } from "../../src-server/test-support/test-server";
import { createCore } from "./create-core";
import { migrateTo } from "./store/migrations/migrate-to";
import { openKnex } from "./store/open-knex";
import { openStore } from "./store/open-store";

let server: TestServer;
let dir: string;
const storeFile = () => join(dir, "caller.sqlite");

beforeAll(async () => {
  server = await startTestServer({ listen: true, realClock: true });
  dir = await mkdtemp(join(tmpdir(), "caller-upgrade-"));
}, 30_000);

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const clientCallId = (n: number) => `00000000-0000-4000-8000-${String(900 + n).padStart(12, "0")}`;

async function serverCall(userId: number, companyId: number, n: number, startedAt: number): Promise<string> {
  const [row] = await server.db("calls")
    .insert({ company_id: companyId, user_id: userId, pbx_uniqueid: `1700000900.${n}`, client_call_id: clientCallId(n), number: "+81312345678", direction: "outbound", status: "ended", started_at: startedAt, answered_at: null, ended_at: startedAt + 1000, billed_seconds: 0, disposition: "no_answer", updated_at: startedAt })
    .returning<{ id: number }[]>("id");
  return String(row!.id);
}

describe("a store upgraded with outcomes and edits still queued", () => {
  it("opens with every one of them in the outbox, in the order they were made, and sends them to the server once each", async () => {
    const user = await server.db("users").where({ email: demoCredentials.sales.email }).first<{ id: number; company_id: number }>();
    const base = Date.now() - 60_000;
    const ids = { a: await serverCall(user.id, user.company_id, 1, base), b: await serverCall(user.id, user.company_id, 2, base), d: await serverCall(user.id, user.company_id, 4, base), x: await serverCall(user.id, user.company_id, 5, base) };

    // The app as it was: signed in, then closed.
    const before = await createCore({ dataDir: dir, serverUrl: server.url, shell: "node-host", version: "test" });
    await before.handlers.signIn(demoCredentials.sales);
    const busy = (await before.handlers.getCallOutcomes({})).outcomes.find((o) => o.key === "busy")!;
    await before.close();

    // What the previous version left queued: outcomes chosen offline, a call still to answer, and an edit made in history.
    const old = await openKnex({ file: storeFile() });
    await migrateTo(old, "0008_outcome_keys");
    const queued = (n: number, endedAt: number, key: string) => ({ client_call_id: clientCallId(n), user_id: user.id, number: "+81312345678", ended_at: endedAt, outcome_id: busy.id, notes: `picker ${n}`, idempotency_key: key, last_error: "fetch failed", attempts: 1 });
    await old("pending_outcomes").insert([
      queued(1, base + 1000, "upgrade-outcome-1"),
      queued(2, base + 3000, "upgrade-outcome-2"),
      { client_call_id: clientCallId(3), user_id: user.id, number: "+81312345678", ended_at: base + 2500, outcome_id: null, notes: "", idempotency_key: null, last_error: null, attempts: 0 },
      // Sent and applied before the app crashed, never marked done: sent again, answered, not applied twice.
      queued(4, base + 500, "upgrade-outcome-4"),
    ]);
    await old("outbox").insert({
      idempotency_key: "upgrade-edit-x", kind: "call-edit", created_at: base + 2000, attempts: 0, last_error: null, entity_key: `call:${ids.x}`,
      payload: JSON.stringify({ userId: user.id, id: ids.x, editedAt: base + 2000, patch: { notes: "edited in history" } }),
    });
    await old.destroy();
    await server.db("calls").where({ id: Number(ids.d) }).update({ outcome_id: busy.id, outcome_key: "busy", outcome_notes: "picker 4", outcome_at: base + 600, outcome_request_key: "upgrade-outcome-4" });
    const seqBefore = Number((await server.db("changes").max({ n: "seq" }).first<{ n: number | null }>())?.n ?? 0);

    // Opened by the new version: the queued outcomes are outbox items now, among the edit by time.
    const upgraded = await openStore({ file: storeFile() });
    const outbox = await upgraded.knex("outbox").orderBy("id").select<{ idempotency_key: string; kind: string }[]>("idempotency_key", "kind");
    await upgraded.close();
    expect(outbox).toEqual([
      { idempotency_key: "upgrade-outcome-4", kind: "call-outcome" },
      { idempotency_key: "upgrade-outcome-1", kind: "call-outcome" },
      { idempotency_key: "upgrade-edit-x", kind: "call-edit" },
      { idempotency_key: "upgrade-outcome-2", kind: "call-outcome" },
    ]);

    const core = await createCore({ dataDir: dir, serverUrl: server.url, shell: "node-host", version: "test" });
    try {
      // Signed in already: the sync sends the outbox as the core starts.
      await core.handlers.syncNow({});
      await expect.poll(async () => (await core.handlers.getSyncState({})).pendingEdits, { timeout: 10_000 }).toBe(0);
      expect((await core.handlers.listPendingOutcomes({})).pending).toMatchObject([{ clientCallId: clientCallId(3), state: "awaiting" }]);
    } finally {
      await core.close();
    }

    const call = (id: string) => server.db("calls").where({ id: Number(id) }).first<{ outcome_key: string | null; outcome_notes: string | null; outcome_at: number | null; outcome_request_key: string | null }>();
    expect(await call(ids.a)).toMatchObject({ outcome_key: "busy", outcome_notes: "picker 1", outcome_request_key: "upgrade-outcome-1" });
    expect(await call(ids.b)).toMatchObject({ outcome_key: "busy", outcome_notes: "picker 2", outcome_request_key: "upgrade-outcome-2" });
    expect(await call(ids.x)).toMatchObject({ outcome_notes: "edited in history" });
    expect(Number((await call(ids.d))?.outcome_at)).toBe(base + 600);
    // The server applied them in the outbox's order, each once (the replayed one not at all).
    const applied = await server.db("changes").where("seq", ">", seqBefore).where({ entity: "call" }).orderBy("seq").pluck<string[]>("entity_id");
    expect(applied.map(String)).toEqual([ids.a, ids.x, ids.b]);
  }, 60_000);
});
