import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CallerError, errorFromText } from "../../../src-shared/errors";
// The core's company area against the real company server over loopback HTTP (test only).
// eslint-disable-next-line no-restricted-imports -- the server under test, not code the core uses
import { startTestServer, demoCredentials, type TestServer } from "../../../src-server/test-support/test-server";
import { createCore, type Core } from "../create-core";
import { loopbackRelay, type LoopbackRelay } from "../testing/loopback-relay";

let server: TestServer;
let relay: LoopbackRelay;
let dir: string;
let admin: Core;
let sales: Core;
const dataDir = () => join(dir, "sales");

beforeAll(async () => {
  server = await startTestServer({ listen: true });
  relay = await loopbackRelay(Number(new URL(server.url!).port));
  dir = await mkdtemp(join(tmpdir(), "caller-company-"));
  admin = await createCore({ dataDir: join(dir, "admin"), serverUrl: server.url, shell: "node-host", version: "test" });
  sales = await createCore({ dataDir: dataDir(), serverUrl: relay.url, shell: "node-host", version: "test" });
  await admin.handlers.signIn(demoCredentials.admin);
  await sales.handlers.signIn(demoCredentials.sales);
}, 30_000);

afterAll(async () => {
  await admin?.close();
  await sales?.close();
  await relay?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (e: unknown) => (e instanceof CallerError ? e.code : String(e)),
  );

let callSeq = 0;
async function serverCall(): Promise<{ id: number; clientCallId: string }> {
  callSeq += 1;
  const clientCallId = `00000000-0000-4000-8000-${String(callSeq).padStart(12, "0")}`;
  const user = await server.db("users").where({ email: demoCredentials.sales.email }).first<{ id: number; company_id: number }>();
  const [row] = await server.db("calls")
    .insert({ company_id: user.company_id, user_id: user.id, pbx_uniqueid: `1700000000.${callSeq}`, client_call_id: clientCallId, number: "+81312345678", direction: "outbound", status: "ended", started_at: Date.now(), answered_at: null, ended_at: Date.now(), billed_seconds: 0, disposition: "no_answer", updated_at: Date.now() })
    .returning<{ id: number }[]>("id");
  return { id: row!.id, clientCallId };
}

describe("the end-of-call outcome on the desktop", () => {
  it("when required, a call stays pending across an offline spell and a restart, then the queued choice is sent once", async () => {
    const outcomes = await admin.handlers.setOutcomeRequired({ required: true });
    const busy = outcomes.outcomes.find((o) => o.key === "busy")!;
    const call = await serverCall();

    const noted = await sales.handlers.noteCallEnded({ clientCallId: call.clientCallId, number: "+81312345678", endedAt: Date.now() });
    expect(noted).toMatchObject({ required: true, pending: [{ clientCallId: call.clientCallId, state: "awaiting" }] });
    expect(await codeOf(sales.handlers.skipCallOutcome({ clientCallId: call.clientCallId }))).toBe("conflict");

    relay.cut();
    expect((await sales.handlers.getCallOutcomes({})).outcomes.map((o) => o.id)).toContain(busy.id);
    const queued = await sales.handlers.logCallOutcome({ clientCallId: call.clientCallId, outcomeId: busy.id, notes: "Try again at 3" });
    expect(queued.pending).toMatchObject([{ state: "queued", outcomeId: busy.id }]);

    await sales.close();
    sales = await createCore({ dataDir: dataDir(), serverUrl: relay.url, shell: "node-host", version: "test" });
    expect((await sales.handlers.listPendingOutcomes({})).pending).toMatchObject([{ clientCallId: call.clientCallId, state: "queued" }]);

    relay.restore();
    await sales.handlers.syncNow({});
    await expect.poll(async () => (await sales.handlers.listPendingOutcomes({})).pending, { timeout: 5000 }).toEqual([]);
    // A default outcome is stored by its key, on the server and on the desktop.
    const stored = await server.db("calls").where({ id: call.id }).first<{ outcome_name: string | null; outcome_key: string; outcome_notes: string }>();
    expect(stored).toMatchObject({ outcome_name: null, outcome_key: "busy", outcome_notes: "Try again at 3" });
    await expect
      .poll(async () => (await sales.handlers.listHistory({ limit: 10 })).calls.find((c) => c.id === String(call.id)), { timeout: 5000 })
      .toMatchObject({ outcome: null, outcomeKey: "busy" });
  });

  it("a choice the server refuses (the outcome was disabled meanwhile) is asked for again", async () => {
    const custom = await admin.handlers.createOutcome({ name: `Soon gone ${Date.now()}` });
    const call = await serverCall();
    await sales.handlers.noteCallEnded({ clientCallId: call.clientCallId, number: "+81312345678", endedAt: Date.now() });
    await admin.handlers.updateOutcome({ id: custom.id, enabled: false });
    const after = await sales.handlers.logCallOutcome({ clientCallId: call.clientCallId, outcomeId: custom.id, notes: "" });
    expect(after.pending).toMatchObject([{ clientCallId: call.clientCallId, state: "awaiting", error: expect.stringContaining("no longer offered") as string }]);
    // Kept with its reason, so the picker words it in the UI's language rather than showing the server's English.
    expect(errorFromText(after.pending[0]?.error ?? "")?.reason).toBe("outcome_withdrawn");
    expect((await sales.handlers.getCallOutcomes({})).outcomes.map((o) => o.id)).not.toContain(custom.id);
  });

  it("when optional, a call can be skipped", async () => {
    await admin.handlers.setOutcomeRequired({ required: false });
    await sales.handlers.getCallOutcomes({});
    const pending = (await sales.handlers.listPendingOutcomes({})).pending;
    for (const p of pending) await sales.handlers.skipCallOutcome({ clientCallId: p.clientCallId });
    expect((await sales.handlers.listPendingOutcomes({})).pending).toEqual([]);
  });
});
