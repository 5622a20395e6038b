import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HistoryCall } from "../../src-shared/api/contract";
import type { ChangesReply } from "../../src-shared/server-api/changes";
import type { Person } from "../../src-shared/server-api/crm";
import type { CallEditReply, EditHistoryReply, PersonEditReply } from "../../src-shared/server-api/sync-edits";
import { newCallFields } from "../calls/call-fields";
import { saveCall } from "../calls/save-call";
import { findUserByEmail } from "../db/users-repo";
import { bearer, demoCredentials, startTestServer, type TestServer } from "../test-support/test-server";
import { seedDemoCompanyCrm } from "./demo-crm";

const minute = 60_000;

describe("offline edits replayed to the server, and who sees which calls", () => {
  let server: TestServer;
  let sales: string;
  let admin: string;
  let jane: Person;
  let salesCallId: string;
  let adminCallId: string;
  beforeEach(async () => {
    server = await startTestServer();
    await seedDemoCompanyCrm(server.db, server.clock.now);
    [sales, admin] = await Promise.all([server.sessionFor(demoCredentials.sales), server.sessionFor(demoCredentials.admin)]);
    jane = (await send("GET", "/api/crm/people?q=jane", sales)).json<{ people: Person[] }>().people[0]!;
    const callOf = async (email: string, pbx: string, number: string): Promise<string> => {
      const user = (await findUserByEmail(server.db, email))!;
      const fields = newCallFields({ companyId: user.companyId, userId: user.id, pbxUniqueid: pbx, clientCallId: null, number, status: "authorized", startedAt: server.clock.now, refusalReason: null });
      await server.db.transaction((trx) => saveCall(trx, pbx, () => fields, server.clock.now));
      return String((await server.db("calls").where({ pbx_uniqueid: pbx }).first<{ id: number }>("id")).id);
    };
    salesCallId = await callOf(demoCredentials.sales.email, "pbx-sales", "+12015550123");
    adminCallId = await callOf(demoCredentials.admin.email, "pbx-admin", "+12015550199");
  });
  afterEach(() => server.close());

  const send = (method: "GET" | "POST" | "PATCH", url: string, token: string, payload?: object) =>
    server.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload }) });
  const feed = async (token: string) => (await send("GET", "/api/changes?limit=5000", token)).json<ChangesReply>().changes;
  const editPerson = async (token: string, key: string, editedAt: number, patch: object) => {
    const reply = await send("POST", `/api/crm/people/${jane.id}/edits`, token, { idempotencyKey: key, editedAt, patch });
    expect(reply.statusCode, reply.body).toBe(200);
    return reply.json<PersonEditReply>();
  };
  const editCall = async (token: string, id: string, key: string, editedAt: number, patch: object) => {
    const reply = await send("POST", `/api/crm/calls/${id}/edits`, token, { idempotencyKey: key, editedAt, patch });
    expect(reply.statusCode, reply.body).toBe(200);
    return reply.json<CallEditReply>();
  };
  const history = async (path: string) => (await send("GET", path, sales)).json<EditHistoryReply>().versions;

  it("a replayed key changes nothing the second time: one row, one feed entry", async () => {
    const before = (await feed(sales)).length;
    const first = await editPerson(sales, "key-00000001", server.clock.now, { email: "jane@new.example" });
    expect(first).toMatchObject({ applied: ["email"], replay: false, person: { email: "jane@new.example" } });
    server.clock.now += minute;
    const again = await editPerson(sales, "key-00000001", server.clock.now, { email: "jane@new.example" });
    expect(again).toMatchObject({ applied: [], replay: true });
    expect((await feed(sales)).length).toBe(before + 1);
    expect(await server.db("sync_edit_requests").count({ n: "*" }).first()).toEqual({ n: 1 });
  });

  it("last writer wins per field by edit time: an older offline edit loses one field, wins another, and the loser is kept", async () => {
    const t0 = server.clock.now;
    server.clock.now += 10 * minute;
    await editPerson(admin, "key-online-1", server.clock.now, { name: "Jane Online" });
    // Made offline five minutes before the online edit, replayed after it.
    const late = await editPerson(sales, "key-offline-1", t0 + 5 * minute, { name: "Jane Offline", email: "jane@offline.example" });
    expect(late).toMatchObject({ applied: ["email"], kept: ["name"], person: { name: "Jane Online", email: "jane@offline.example" } });
    const versions = await history(`/api/crm/people/${jane.id}/history`);
    expect(versions).toContainEqual(expect.objectContaining({ field: "name", value: "Jane Offline", kind: "lost", editedBy: "Sora Sales" }));
    expect(versions).toContainEqual(expect.objectContaining({ field: "name", value: "Jane Cooper", kind: "replaced" }));
    expect(versions).toContainEqual(expect.objectContaining({ field: "email", kind: "replaced" }));
  });

  it("a clock set ahead counts at the server's receipt time, so it cannot win forever", async () => {
    const ahead = server.clock.now + 365 * 24 * 60 * minute;
    await editCall(sales, salesCallId, "key-skewed-1", ahead, { notes: "from a clock a year ahead" });
    server.clock.now += minute;
    const next = await editCall(sales, salesCallId, "key-normal-1", server.clock.now, { notes: "a minute later" });
    expect(next).toMatchObject({ applied: ["notes"], call: { notes: "a minute later" } });
    const versions = await history(`/api/crm/calls/${salesCallId}/history`);
    expect(versions[0]).toMatchObject({ field: "notes", value: "from a clock a year ahead", kind: "replaced" });
  });

  it("an outcome disabled meanwhile is refused and kept; the notes of the same edit still land", async () => {
    const outcomes = (await send("GET", "/api/outcomes", sales)).json<{ outcomes: { id: number; name: string | null; key: string | null }[] }>().outcomes;
    const busy = outcomes.find((o) => o.key === "busy")!;
    expect((await send("PATCH", `/api/admin/outcomes/${busy.id}`, admin, { enabled: false })).statusCode).toBe(200);
    const reply = await editCall(sales, salesCallId, "key-outcome-1", server.clock.now, { outcomeId: busy.id, notes: "they were busy" });
    expect(reply).toMatchObject({ applied: ["notes"], refused: ["outcome"], call: { outcome: null, notes: "they were busy" } });
    expect(await history(`/api/crm/calls/${salesCallId}/history`)).toContainEqual(expect.objectContaining({ field: "outcome", kind: "refused" }));
  });

  it("a regular user's feed never carries another user's call; an admin's carries every user's, with the owner", async () => {
    const admins = (await feed(admin)).filter((c) => c.entity === "call").map((c) => c.data as HistoryCall);
    const sales_ = (await feed(sales)).filter((c) => c.entity === "call").map((c) => c.data as HistoryCall);
    const salesUser = (await findUserByEmail(server.db, demoCredentials.sales.email))!;
    expect(sales_.map((c) => c.id)).toEqual([salesCallId]);
    expect(sales_.every((c) => c.userId === String(salesUser.id))).toBe(true);
    expect(new Set(admins.map((c) => c.id))).toEqual(new Set([salesCallId, adminCallId]));
    // An edit of the admin's call by the admin still stays out of the regular user's feed.
    await editCall(admin, adminCallId, "key-admin-1", server.clock.now, { notes: "admin's own" });
    expect((await feed(sales)).filter((c) => c.entity === "call").every((c) => c.entityId === salesCallId)).toBe(true);
    expect((await send("POST", `/api/crm/calls/${adminCallId}/edits`, sales, { idempotencyKey: "key-sales-2", editedAt: 1, patch: { notes: "x" } })).statusCode).toBe(404);
  });

  it("counts what is left for the app's progress when asked", async () => {
    const all = await feed(admin);
    const first = (await send("GET", "/api/changes?limit=2&remaining=1", admin)).json<ChangesReply>();
    expect(first.remaining).toBe(all.length - 2);
    expect((await send("GET", "/api/changes?limit=2", admin)).json<ChangesReply>().remaining).toBeUndefined();
  });
});
