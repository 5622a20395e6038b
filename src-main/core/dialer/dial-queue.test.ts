import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DialQueue } from "../../../src-shared/api/areas/dialer";
import { CallerError } from "../../../src-shared/errors";
// eslint-disable-next-line no-restricted-imports -- the server under test, not code the core uses
import { ensureEndpoint } from "../../../src-server/db/pbx-endpoints-repo";
// eslint-disable-next-line no-restricted-imports -- the server under test
import { startTestServer, demoCredentials, bearer, type TestServer } from "../../../src-server/test-support/test-server";
// eslint-disable-next-line no-restricted-imports -- the server under test
import { openSqliteTestDb, type TestDb } from "../../../src-server/test-support/test-db";
import { createCore, type Core } from "../create-core";

// The server's clock stays at the seed's: Tuesday 03:00 UTC, noon in Tokyo, 22:00 on Monday in New York.
let testDb: TestDb;
let server: TestServer;
let dir: string;
let core: Core;
const ids: Record<string, string> = {};
const seen: (DialQueue | null)[] = [];

const open = () => createCore({ dataDir: dir, serverUrl: server.url, shell: "node-host", version: "test" });
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (e: unknown) => (e instanceof CallerError ? e.code : String(e)),
  );
const states = (queue: DialQueue | null) => queue?.items.map((i) => `${i.name}:${i.state}${i.skipReason ? `/${i.skipReason}` : ""}${i.result ? `/${i.result}` : ""}`);

beforeAll(async () => {
  testDb = await openSqliteTestDb();
  server = await startTestServer({ db: testDb.db, listen: true });
  const user = await server.db("users").where({ email: demoCredentials.sales.email }).first<{ id: number; company_id: number }>();
  await ensureEndpoint(server.db, { id: user.id, companyId: user.company_id }, server.clock.now);
  dir = await mkdtemp(join(tmpdir(), "caller-dial-queue-"));
  core = await open();
  core.events.on("dialQueueChanged", ({ queue }) => void seen.push(queue));
  await core.handlers.signIn({ email: demoCredentials.sales.email, password: demoCredentials.sales.password });
  const people: [string, string[]][] = [
    ["Akira", ["+819012340001"]],
    ["Bob NY", ["+12125550123"]],
    ["Chie", ["+819012340002"]],
    ["Daichi", ["+819012340003"]],
    ["Nobody", []],
  ];
  for (const [name, numbers] of people) {
    const person = await core.handlers.createContact({ name, email: null, organizationId: null, phones: numbers.map((number) => ({ number, label: "work" })) });
    ids[name] = person.id;
  }
  await core.handlers.syncNow({});
  // The company calls 09:00–18:00 on weekdays, in each callee's time.
  const admin = await server.sessionFor(demoCredentials.admin);
  const put = await server.app.inject({ method: "PUT", url: "/api/company/calling-hours", headers: bearer(admin), payload: { hours: { days: [1, 2, 3, 4, 5], from: "09:00", to: "18:00" } } });
  expect(put.statusCode).toBe(200);
}, 60_000);

afterAll(async () => {
  await core?.close();
  await server?.close();
  await testDb?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const contact = (name: string) => ({ kind: "contact" as const, id: ids[name]! });

describe("the power dialer's queue in the desktop core", () => {
  it("refuses a queue with a row that has no number, naming the row, and builds nothing", async () => {
    const reply = await core.handlers.buildDialQueue({ name: "Bad", rows: [contact("Akira"), contact("Nobody"), { kind: "contact", id: "no-such-id" }] });
    expect(reply).toEqual({
      ok: false,
      problems: [
        { index: 1, name: "Nobody", number: null, problem: "no_number" },
        { index: 2, name: "no-such-id", number: null, problem: "not_found" },
      ],
    });
    expect((await core.handlers.getDialQueue({})).queue).toBeNull();
  });

  it("hands out each item once, skips one outside calling hours with the time they open, and moves on when the outcome is decided", async () => {
    const built = await core.handlers.buildDialQueue({ name: "Tuesday", rows: ["Akira", "Bob NY", "Chie", "Daichi"].map(contact) });
    expect(built.ok && built.queue).toMatchObject({ status: "ready", handled: 0, total: 4 });
    expect((await core.handlers.nextDialQueueItem({})).dial).toBeNull();
    await core.handlers.startDialQueue({});

    const first = await core.handlers.nextDialQueueItem({});
    expect(first.dial).toMatchObject({ position: 0, number: "+819012340001", name: "Akira" });
    // Asked again while that call is on: nothing, so the page can never dial it twice.
    expect((await core.handlers.nextDialQueueItem({})).dial).toBeNull();
    const ended = await core.handlers.dialQueueCallEnded({ clientCallId: first.dial!.clientCallId, needsOutcome: true, result: "answered" });
    expect(states(ended.queue)).toEqual(["Akira:wrap_up", "Bob NY:waiting", "Chie:waiting", "Daichi:waiting"]);
    expect((await core.handlers.nextDialQueueItem({})).dial).toBeNull();

    await core.handlers.noteCallEnded({ clientCallId: first.dial!.clientCallId, number: "+819012340001", endedAt: Date.now() });
    const outcome = (await core.handlers.getCallOutcomes({})).outcomes.find((o) => o.enabled)!;
    await core.handlers.logCallOutcome({ clientCallId: first.dial!.clientCallId, outcomeId: outcome.id, notes: "" });
    await expect.poll(async () => states((await core.handlers.getDialQueue({})).queue)?.[0]).toBe("Akira:done/outcome");

    const second = await core.handlers.nextDialQueueItem({});
    expect(second.dial).toMatchObject({ position: 2, name: "Chie" });
    const bob = second.queue?.items[1];
    // Judged in New York's own time (its area code): open from 09:00 there, 14:00 UTC.
    expect(bob).toMatchObject({ state: "skipped", skipReason: "outside_calling_hours", opensAt: Date.UTC(2026, 10, 24, 14, 0) });
    expect(second.queue).toMatchObject({ handled: 3, total: 4 });
    // The renderer hears each change.
    expect(seen.at(-1)?.items[2]?.state).toBe("calling");
  });

  it("after a restart mid-call the queue is paused at the same place; that item is never handed out again", async () => {
    const before = (await core.handlers.getDialQueue({})).queue!;
    const calling = before.items.find((i) => i.state === "calling")!;
    expect(calling.name).toBe("Chie");
    await core.close();
    core = await open();

    const after = (await core.handlers.getDialQueue({})).queue!;
    expect(after.status).toBe("paused");
    // The call was lost with the app and asked for no outcome yet: it is over, not dialed again.
    expect(states(after)).toEqual(["Akira:done/outcome", "Bob NY:skipped/outside_calling_hours", "Chie:done/interrupted", "Daichi:waiting"]);
    expect((await core.handlers.nextDialQueueItem({})).dial).toBeNull();
    await core.handlers.startDialQueue({});
    const next = await core.handlers.nextDialQueueItem({});
    expect(next.dial).toMatchObject({ position: 3, name: "Daichi" });
    expect(next.dial?.clientCallId).not.toBe(calling.clientCallId);
  });

  it("skip, pause, stop; a running queue must be stopped before another is built; the end is finished", async () => {
    const current = (await core.handlers.getDialQueue({})).queue!;
    expect(await codeOf(core.handlers.buildDialQueue({ name: "Another", rows: [contact("Akira")] }))).toBe("conflict");
    const daichi = current.items[3]!;
    const skipped = await core.handlers.skipDialQueueItem({ position: 3 });
    expect(skipped.queue?.items[3]).toMatchObject({ state: "skipped", skipReason: "by_user" });
    expect(await codeOf(core.handlers.skipDialQueueItem({ position: 3 }))).toBe("conflict");
    // The skipped call's end changes nothing.
    await core.handlers.dialQueueCallEnded({ clientCallId: daichi.clientCallId!, needsOutcome: false, result: "cancelled" });
    const last = await core.handlers.nextDialQueueItem({});
    expect(last.dial).toBeNull();
    expect(last.queue).toMatchObject({ status: "finished", handled: 4, total: 4 });
    expect(await codeOf(core.handlers.startDialQueue({}))).toBe("conflict");

    const again = await core.handlers.buildDialQueue({ name: "Again", rows: [contact("Akira"), contact("Chie")] });
    expect(again.ok).toBe(true);
    await core.handlers.startDialQueue({});
    expect((await core.handlers.pauseDialQueue({})).queue?.status).toBe("paused");
    expect((await core.handlers.nextDialQueueItem({})).dial).toBeNull();
    expect((await core.handlers.stopDialQueue({})).queue?.status).toBe("stopped");
    expect(await codeOf(core.handlers.startDialQueue({}))).toBe("conflict");
  });

  it("Skip on a ringing call moves on with no outcome asked, logged as No answer; an answered call waiting for its outcome cannot be skipped", async () => {
    await core.handlers.buildDialQueue({ name: "Skips", rows: [contact("Akira"), contact("Chie"), contact("Daichi")] });
    await core.handlers.startDialQueue({});
    const ringing = (await core.handlers.nextDialQueueItem({})).dial!;
    // The server knows the call from its authorize, as when it rings.
    const user = await server.db("users").where({ email: demoCredentials.sales.email }).first<{ id: number; company_id: number }>();
    const now = Date.now();
    await server.db("calls").insert({ company_id: user.company_id, user_id: user.id, pbx_uniqueid: "1700000000.77", client_call_id: ringing.clientCallId, number: ringing.number, direction: "outbound", status: "ended", started_at: now, answered_at: null, ended_at: now, billed_seconds: 0, disposition: "no_answer", updated_at: now });

    const skipped = await core.handlers.skipDialQueueItem({ position: ringing.position });
    expect(states(skipped.queue)).toEqual(["Akira:skipped/by_user/no_answer", "Chie:waiting", "Daichi:waiting"]);
    await expect.poll(async () => (await server.db("calls").where({ client_call_id: ringing.clientCallId }).first<{ outcome_key: string | null }>())?.outcome_key, { timeout: 10_000 }).toBe("no_answer");
    // Sent, and never waiting for the user's choice.
    await expect.poll(async () => (await core.handlers.listPendingOutcomes({})).pending.map((p) => p.clientCallId), { timeout: 10_000 }).not.toContain(ringing.clientCallId);
    // Its end, reported by the page after the hang-up, changes nothing: the next number is handed out.
    await core.handlers.dialQueueCallEnded({ clientCallId: ringing.clientCallId, needsOutcome: true, result: "not_answered" });
    const answered = (await core.handlers.nextDialQueueItem({})).dial!;
    expect(answered).toMatchObject({ name: "Chie" });

    await core.handlers.dialQueueCallEnded({ clientCallId: answered.clientCallId, needsOutcome: true, result: "answered" });
    expect(await codeOf(core.handlers.skipDialQueueItem({ position: answered.position }))).toBe("conflict");
    expect((await core.handlers.nextDialQueueItem({})).dial).toBeNull();
    expect(states((await core.handlers.getDialQueue({})).queue)?.[1]).toBe("Chie:wrap_up");
    await core.handlers.stopDialQueue({});
  });
});
