import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChangesReply } from "../../src-shared/server-api/changes";
import type { Deal, ImportContactsReply, Person } from "../../src-shared/server-api/crm";
import type { HistoryCall } from "../../src-shared/api/contract";
import { newCallFields } from "../calls/call-fields";
import { saveCall } from "../calls/save-call";
import { seedDemoCompanyCrm } from "../crm/demo-crm";
import { findUserByEmail } from "../db/users-repo";
import { bearer, demoCredentials, startTestServer, type TestServer } from "../test-support/test-server";

describe("CRM routes", () => {
  let server: TestServer;
  let sales: string;
  let other: string;
  beforeEach(async () => {
    server = await startTestServer();
    await seedDemoCompanyCrm(server.db, server.clock.now);
    [sales, other] = await Promise.all([server.sessionFor(demoCredentials.sales), server.sessionFor(demoCredentials.otherAdmin)]);
  });
  afterEach(() => server.close());

  const send = (method: "GET" | "POST" | "PATCH", url: string, token: string, payload?: object) =>
    server.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload }) });
  const feed = async (token: string) => (await send("GET", "/api/changes?limit=5000", token)).json<ChangesReply>().changes;

  it("a user creates a person with labelled numbers read in the company's country, and the change reaches the feed", async () => {
    const reply = await send("POST", "/api/crm/people", sales, { name: "  Kenji Ito ", phones: [{ number: "090-1111-2222", label: "mobile" }, { number: "+1 201 555 0177", label: "work" }] });
    expect(reply.statusCode).toBe(200);
    const person = reply.json<Person>();
    expect(person).toMatchObject({ name: "Kenji Ito", email: null, phones: [{ number: "+819011112222", label: "mobile" }, { number: "+12015550177", label: "work" }] });
    expect((await send("GET", `/api/crm/people/${person.id}`, sales)).json()).toEqual(person);
    expect((await feed(sales)).at(-1)).toMatchObject({ entity: "person", entityId: person.id, op: "upsert", data: person });
  });

  it("another company's contacts, organizations and deals are invisible: 404 and absent from lists", async () => {
    const [jane] = (await send("GET", "/api/crm/people?q=jane", sales)).json<{ people: Person[] }>().people;
    expect(jane?.name).toBe("Jane Cooper");
    const [deal] = (await send("GET", "/api/crm/deals", sales)).json<{ deals: Deal[] }>().deals;
    expect((await send("GET", `/api/crm/people/${jane!.id}`, other)).statusCode).toBe(404);
    expect((await send("PATCH", `/api/crm/people/${jane!.id}`, other, { name: "Stolen" })).statusCode).toBe(404);
    expect((await send("GET", `/api/crm/organizations/${jane!.organizationId!}`, other)).statusCode).toBe(404);
    expect((await send("GET", `/api/crm/deals/${deal!.id}`, other)).statusCode).toBe(404);
    expect((await send("POST", "/api/crm/deals", other, { title: "Mine", personId: jane!.id })).statusCode).toBe(404);
    expect((await send("GET", "/api/crm/people", other)).json<{ people: Person[] }>().people).toEqual([]);
    expect((await feed(other)).filter((c) => c.entity === "person")).toEqual([]);
  });

  it("searches people by name and by any run of digits of their numbers", async () => {
    const names = async (q: string) => (await send("GET", `/api/crm/people?q=${encodeURIComponent(q)}`, sales)).json<{ people: Person[] }>().people.map((p) => p.name);
    expect(await names("5550123")).toEqual(["Jane Cooper", "山田 太郎"]);
    expect(await names("山田")).toEqual(["山田 太郎"]);
    expect(await names("100%")).toEqual([]);
  });

  it("refuses a number that is not one with a 400 and writes nothing", async () => {
    const before = (await feed(sales)).length;
    const reply = await send("POST", "/api/crm/people", sales, { name: "X", phones: [{ number: "12ab", label: "work" }] });
    expect(reply.statusCode).toBe(400);
    expect(reply.json()).toMatchObject({ code: "invalid_number" });
    expect(await feed(sales)).toHaveLength(before);
  });

  it("edits a deal's stage and value; a regular user may, as in a CRM", async () => {
    const [deal] = (await send("GET", "/api/crm/deals?q=acme", sales)).json<{ deals: Deal[] }>().deals;
    const reply = await send("PATCH", `/api/crm/deals/${deal!.id}`, sales, { stage: "won", valueMicros: 13_000_000_000 });
    expect(reply.statusCode).toBe(200);
    expect(reply.json<Deal>()).toMatchObject({ stage: "won", valueMicros: 13_000_000_000, personName: "Jane Cooper", organizationName: "Acme Corporation" });
  });

  it("a CSV with bad rows imports nothing and reports each by line", async () => {
    const csv = "name,organization,phones,email\nGood One,New Org,+12015550188,\n,x,+12015550189,\nBad Number,,12ab,\n";
    const reply = await send("POST", "/api/crm/import", sales, { csv });
    expect(reply.json<ImportContactsReply>()).toEqual({ imported: 0, rows: 3, rejected: [{ line: 3, reason: expect.stringMatching(/name/) as string }, { line: 4, reason: expect.stringMatching(/12ab/) as string }] });
    expect((await send("GET", "/api/crm/people?q=good", sales)).json<{ people: Person[] }>().people).toEqual([]);
    const accepted = await send("POST", "/api/crm/import", sales, { csv, acceptValidRows: true });
    expect(accepted.json<ImportContactsReply>().imported).toBe(1);
    const [good] = (await send("GET", "/api/crm/people?q=good", sales)).json<{ people: Person[] }>().people;
    expect(good).toMatchObject({ organizationName: "New Org", phones: [{ number: "+12015550188", label: "work" }] });
  });

  it("links a new call to the person with its number, and a dialed-from deal through /api/calls/link", async () => {
    const user = (await findUserByEmail(server.db, demoCredentials.sales.email))!;
    const call = (n: number, clientCallId: string | null) =>
      newCallFields({ companyId: user.companyId, userId: user.id, pbxUniqueid: `pbx-${n}`, clientCallId, number: "+12015550123", status: "authorized", startedAt: server.clock.now, refusalReason: null });
    await server.db.transaction((trx) => saveCall(trx, "pbx-1", () => call(1, null), server.clock.now));
    const calls = async () => (await feed(sales)).filter((c) => c.entity === "call").map((c) => c.data as HistoryCall);
    expect((await calls()).at(-1)).toMatchObject({ contactName: "Jane Cooper", dealId: null });

    const [deal] = (await send("GET", "/api/crm/deals?q=acme", sales)).json<{ deals: Deal[] }>().deals;
    const clientCallId = "0b7c3f9e-5d1a-4e8b-9c2f-1a2b3c4d5e6f";
    const early = await send("POST", "/api/calls/link", sales, { clientCallId, dealId: deal!.id });
    expect(early.json()).toEqual({ ok: true, linked: false });
    await server.db.transaction((trx) => saveCall(trx, "pbx-2", () => call(2, clientCallId), server.clock.now));
    expect((await calls()).at(-1)).toMatchObject({ dealId: deal!.id, dealTitle: "Acme annual licence", contactName: "Jane Cooper" });

    const late = await send("POST", "/api/calls/link", sales, { clientCallId, contactId: deal!.personId });
    expect(late.json()).toEqual({ ok: true, linked: true });
    expect((await send("POST", "/api/calls/link", other, { clientCallId, dealId: deal!.id })).statusCode).toBe(404);
  });
});
