import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CompanyNumber, GroupsReply, inboundPaths, NumbersReply, RingGroup } from "../../src-shared/server-api/inbound";
import { ensureEndpoint } from "../db/pbx-endpoints-repo";
import { findUserByEmail } from "../db/users-repo";
import { pbxSecretHeader } from "../pbx/pbx-guard";
import type { TestDb } from "./test-db";
import { bearer, demoCredentials, startTestServer, type TestServer } from "./test-server";

const secret = "inbound-route-test-secret";
type Method = "GET" | "POST" | "PUT" | "DELETE";

/** The numbers and ring groups admins manage, and the PBX's inbound route, through the real database, once per engine. */
export function describeInboundRoutes(engine: string, open: () => Promise<TestDb>): void {
  describe(`inbound routes on ${engine}`, () => {
    let handle: TestDb;
    let server: TestServer;
    let tokens: { sales: string; admin: string; other: string };
    const ids = { admin: 0, sales: 0, other: 0 };
    const endpoints = { admin: "", sales: "" };

    beforeAll(async () => {
      handle = await open();
      const pbx = { secret, wsUrl: "ws://127.0.0.1:1/ws", sipDomain: "127.0.0.1", iceServers: [], ami: null, cdrStore: null };
      server = await startTestServer({ db: handle.db, pbx });
      const [sales, admin, other] = await Promise.all([server.sessionFor(demoCredentials.sales), server.sessionFor(demoCredentials.admin), server.sessionFor(demoCredentials.otherAdmin)]);
      tokens = { sales, admin, other };
      for (const who of ["admin", "sales", "other"] as const) {
        const user = await findUserByEmail(handle.db, (who === "other" ? demoCredentials.otherAdmin : demoCredentials[who]).email);
        if (user === undefined) throw new Error(`no seeded ${who}`);
        ids[who] = user.id;
        // Signed in once: the app's SIP config made each user's line, so the PBX can ring it.
        if (who !== "other") endpoints[who] = (await ensureEndpoint(handle.db, { id: user.id, companyId: user.companyId }, server.clock.now)).endpointId;
      }
    }, 60_000);
    afterAll(async () => {
      await server?.close();
      await handle?.close();
    });

    const send = (method: Method, url: string, token: string | null, payload?: object) =>
      server.app.inject({ method, url, headers: token === null ? {} : bearer(token), ...(payload === undefined ? {} : { payload }) });
    const ok = <T>(reply: Awaited<ReturnType<typeof send>>, schema: { parse(v: unknown): T }): T => {
      expect(reply.statusCode, reply.body).toBe(200);
      return schema.parse(reply.json());
    };
    const numberPath = (id: number) => inboundPaths.number.replace(":id", String(id));
    const groupPath = (id: number) => inboundPaths.group.replace(":id", String(id));
    const stored = async () => ({
      numbers: await server.db("company_numbers").orderBy("id").select("*"),
      groups: await server.db("ring_groups").orderBy("id").select("*"),
      members: await server.db("ring_group_members").orderBy(["group_id", "position"]).select("*"),
    });
    const refused = (reply: Awaited<ReturnType<typeof send>>, status: number, code: string, message: RegExp) => {
      expect(reply.statusCode, reply.body).toBe(status);
      expect(reply.json<{ code: string; message: string }>()).toMatchObject({ code, message: expect.stringMatching(message) as unknown });
    };
    const inbound = (query: Record<string, string>, given: string | null = secret) =>
      server.app.inject({ method: "GET", url: `/pbx/authorize/inbound?${new URLSearchParams(query).toString()}`, headers: given === null ? {} : { [pbxSecretHeader]: given } });
    const answerOf = async (did: string, uniqueid: string) => {
      const reply = await inbound({ did, from: "+12015550123", uniqueid });
      expect(reply.statusCode, reply.body).toBe(200);
      return Object.fromEntries(new URLSearchParams(reply.body));
    };
    const callRow = (uniqueid: string) => server.db("calls").where({ pbx_uniqueid: uniqueid }).first<{ user_id: number | string; direction: string; inbound_number: string | null } | undefined>();

    it("a company admin adds a ring group and numbers to a user and to the group, and lists them", async () => {
      const group = ok(await send("POST", inboundPaths.groups, tokens.admin, { name: "  Sales team ", strategy: "ring_all", memberIds: [ids.sales, ids.admin] }), RingGroup);
      expect(group).toMatchObject({ name: "Sales team", strategy: "ring_all", memberIds: [ids.sales, ids.admin] });
      const direct = ok(await send("POST", inboundPaths.numbers, tokens.admin, { number: "+81355550100", label: "Sora's line", target: { userId: ids.sales } }), CompanyNumber);
      expect(direct).toMatchObject({ number: "+81355550100", userId: ids.sales, groupId: null, ringSeconds: 20 });
      const shared = ok(await send("POST", inboundPaths.numbers, tokens.admin, { number: "+81355550101", label: "Main", target: { groupId: group.id }, ringSeconds: 30 }), CompanyNumber);
      expect(shared).toMatchObject({ userId: null, groupId: group.id, ringSeconds: 30 });
      expect((ok(await send("GET", inboundPaths.numbers, tokens.admin), NumbersReply)).numbers.map((n) => n.number)).toEqual(["+81355550100", "+81355550101"]);
      expect((ok(await send("GET", inboundPaths.groups, tokens.admin), GroupsReply)).groups.map((g) => g.id)).toEqual([group.id]);

      const moved = ok(await send("PUT", numberPath(direct.id), tokens.admin, { number: "+81355550100", label: "Sora's line", target: { groupId: group.id } }), CompanyNumber);
      expect(moved).toMatchObject({ userId: null, groupId: group.id });
      const edited = ok(await send("PUT", groupPath(group.id), tokens.admin, { name: "Sales team", strategy: "round_robin", memberIds: [ids.admin, ids.sales] }), RingGroup);
      expect(edited).toMatchObject({ strategy: "round_robin", memberIds: [ids.admin, ids.sales] });
      ok(await send("PUT", numberPath(direct.id), tokens.admin, { number: "+81355550100", label: "Sora's line", target: { userId: ids.sales } }), CompanyNumber);
    });

    it("a sales user cannot read or change the company's numbers or groups (403), nor can anyone signed out (401)", async () => {
      const before = await stored();
      const [number] = before.numbers as { id: number }[];
      const [group] = before.groups as { id: number }[];
      const attempts: [Method, string, object?][] = [
        ["GET", inboundPaths.numbers],
        ["POST", inboundPaths.numbers, { number: "+81355550199", target: { userId: ids.sales } }],
        ["PUT", numberPath(number!.id), { number: "+81355550100", target: { userId: ids.sales } }],
        ["DELETE", numberPath(number!.id)],
        ["GET", inboundPaths.groups],
        ["POST", inboundPaths.groups, { name: "Mine", strategy: "ring_all", memberIds: [ids.sales] }],
        ["PUT", groupPath(group!.id), { name: "Mine", strategy: "ring_all", memberIds: [ids.sales] }],
        ["DELETE", groupPath(group!.id)],
      ];
      for (const [method, url, payload] of attempts) {
        expect((await send(method, url, tokens.sales, payload)).statusCode, `${method} ${url}`).toBe(403);
        expect((await send(method, url, null, payload)).statusCode, `${method} ${url} signed out`).toBe(401);
      }
      expect(await stored()).toEqual(before);
    });

    it("another company's admin neither sees nor touches them, nor points its own numbers at them", async () => {
      const before = await stored();
      const [number] = before.numbers as { id: number }[];
      const [group] = before.groups as { id: number }[];
      expect((ok(await send("GET", inboundPaths.numbers, tokens.other), NumbersReply)).numbers).toEqual([]);
      expect((ok(await send("GET", inboundPaths.groups, tokens.other), GroupsReply)).groups).toEqual([]);
      refused(await send("PUT", numberPath(number!.id), tokens.other, { number: "+12125550100", target: { userId: ids.other } }), 404, "not_found", /No number of your company/);
      refused(await send("DELETE", numberPath(number!.id), tokens.other), 404, "not_found", /No number of your company/);
      refused(await send("PUT", groupPath(group!.id), tokens.other, { name: "Taken", strategy: "ring_all", memberIds: [ids.other] }), 404, "not_found", /No ring group of your company/);
      refused(await send("DELETE", groupPath(group!.id), tokens.other), 404, "not_found", /No ring group of your company/);
      refused(await send("POST", inboundPaths.numbers, tokens.other, { number: "+12125550100", target: { userId: ids.sales } }), 400, "bad_request", /No user of your company/);
      refused(await send("POST", inboundPaths.numbers, tokens.other, { number: "+12125550100", target: { groupId: group!.id } }), 400, "bad_request", /No ring group of your company/);
      refused(await send("POST", inboundPaths.groups, tokens.other, { name: "Theirs", strategy: "ring_all", memberIds: [ids.other, ids.sales] }), 400, "bad_request", /not a user of your company/);
      // Demo K.K.'s number is theirs: another company cannot take it over.
      refused(await send("POST", inboundPaths.numbers, tokens.other, { number: "+81355550100", target: { userId: ids.other } }), 409, "conflict", /already assigned/);
      expect(await stored()).toEqual(before);
    });

    it("bad input gets a clear error and changes nothing", async () => {
      const before = await stored();
      const [number, second] = before.numbers as { id: number }[];
      for (const bad of ["0355550100", "+0355550100", "+81 3 5555 0100", "+8135555", "+8135555010012345", "+81355550100\n", "tel:+81355550100"]) {
        refused(await send("POST", inboundPaths.numbers, tokens.admin, { number: bad, target: { userId: ids.sales } }), 400, "bad_request", /E\.164/);
      }
      refused(await send("POST", inboundPaths.numbers, tokens.admin, { number: "+81355550102", target: { userId: 999_999 } }), 400, "bad_request", /No user of your company/);
      refused(await send("POST", inboundPaths.numbers, tokens.admin, { number: "+81355550102", target: { groupId: 999_999 } }), 400, "bad_request", /No ring group of your company/);
      expect((await send("POST", inboundPaths.numbers, tokens.admin, { number: "+81355550102", target: { userId: ids.sales, groupId: 1 } })).statusCode).toBe(400);
      expect((await send("POST", inboundPaths.numbers, tokens.admin, { number: "+81355550102", target: {} })).statusCode).toBe(400);
      expect((await send("POST", inboundPaths.numbers, tokens.admin, { number: "+81355550102", target: { userId: ids.sales }, ringSeconds: 2 })).statusCode).toBe(400);
      expect((await send("POST", inboundPaths.numbers, tokens.admin, { number: "+81355550102", label: "a\u0007b", target: { userId: ids.sales } })).statusCode).toBe(400);
      refused(await send("POST", inboundPaths.numbers, tokens.admin, { number: "+81355550100", target: { userId: ids.admin } }), 409, "conflict", /already assigned/);
      refused(await send("PUT", numberPath(second!.id), tokens.admin, { number: "+81355550100", target: { userId: ids.admin } }), 409, "conflict", /already assigned/);
      refused(await send("PUT", numberPath(999_999), tokens.admin, { number: "+81355550109", target: { userId: ids.admin } }), 404, "not_found", /No number/);
      expect((await send("PUT", "/api/admin/inbound/numbers/abc", tokens.admin, { number: "+81355550109", target: { userId: ids.admin } })).statusCode).toBe(400);

      refused(await send("POST", inboundPaths.groups, tokens.admin, { name: "Empty", strategy: "ring_all", memberIds: [] }), 400, "bad_request", /needs a member/);
      refused(await send("POST", inboundPaths.groups, tokens.admin, { name: "Twice", strategy: "ring_all", memberIds: [ids.sales, ids.sales] }), 400, "bad_request", /listed twice/);
      refused(await send("POST", inboundPaths.groups, tokens.admin, { name: "Ghost", strategy: "ring_all", memberIds: [999_999] }), 400, "bad_request", /not a user of your company/);
      refused(await send("POST", inboundPaths.groups, tokens.admin, { name: "Sales team", strategy: "ring_all", memberIds: [ids.sales] }), 409, "conflict", /has this name already/);
      refused(await send("POST", inboundPaths.groups, tokens.admin, { name: "  ", strategy: "ring_all", memberIds: [ids.sales] }), 400, "bad_request", /name is required/);
      expect((await send("POST", inboundPaths.groups, tokens.admin, { name: "Odd", strategy: "random", memberIds: [ids.sales] })).statusCode).toBe(400);
      const [group] = before.groups as { id: number }[];
      refused(await send("PUT", groupPath(group!.id), tokens.admin, { name: "Sales team", strategy: "ring_all", memberIds: [] }), 400, "bad_request", /needs a member/);
      // A group a number still rings cannot be deleted out from under it.
      refused(await send("DELETE", groupPath(group!.id), tokens.admin), 409, "conflict", /still rings this group/);
      expect(number).toBeDefined();
      expect(await stored()).toEqual(before);
    });

    it("the PBX route refuses a missing or wrong secret, and denies a number no one is assigned, writing nothing", async () => {
      expect((await inbound({ did: "+81355550100", from: "+12015550123", uniqueid: "1795500000.1" }, null)).statusCode).toBe(401);
      expect((await inbound({ did: "+81355550100", from: "+12015550123", uniqueid: "1795500000.1" }, "not-the-secret")).statusCode).toBe(401);
      expect((await inbound({ did: "+81355550100;", from: "", uniqueid: "1795500000.1" })).statusCode).toBe(400);
      expect(await answerOf("+81355550177", "1795500000.2")).toEqual({ result: "deny", reason: "unassigned_number" });
      expect(await answerOf("+8135", "1795500000.3")).toEqual({ result: "deny", reason: "invalid_number" });
      for (const uniqueid of ["1795500000.1", "1795500000.2", "1795500000.3"]) expect(await callRow(uniqueid)).toBeUndefined();
    });

    it("a number rings its user's line and the call is recorded as theirs; an away user is not listed", async () => {
      const ring = await answerOf("+81355550100", "1795500001.1");
      expect(ring).toMatchObject({ result: "ring", mode: "all", endpoints: endpoints.sales, ringSeconds: "20" });
      // The server's id for the call, which the dialplan puts on the INVITE and the app transfers the call by.
      expect(ring.callId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      await expect.poll(async () => (await callRow("1795500001.1"))?.inbound_number ?? null).toBe("+81355550100");
      expect(await callRow("1795500001.1")).toMatchObject({ direction: "inbound", client_call_id: ring.callId });
      expect(Number((await callRow("1795500001.1"))?.user_id)).toBe(ids.sales);

      expect((await send("PUT", inboundPaths.availability, tokens.sales, { status: "away" })).statusCode).toBe(200);
      expect(ok(await send("GET", inboundPaths.groups, tokens.admin), GroupsReply).away).toEqual([ids.sales]);
      expect(ok(await send("GET", inboundPaths.groups, tokens.other), GroupsReply).away).toEqual([]);
      expect(await answerOf("+81355550100", "1795500001.2")).toMatchObject({ result: "voicemail" });
      const groupCall = await answerOf("+81355550101", "1795500001.3");
      expect(groupCall).toMatchObject({ result: "ring", mode: "sequence" });
      expect(groupCall.endpoints?.split(",")).toEqual([endpoints.admin]);
      expect((await send("PUT", inboundPaths.availability, tokens.sales, { status: "available" })).statusCode).toBe(200);
    });

    it("a round-robin group starts each call with the next member", async () => {
      const orders: string[][] = [];
      for (const n of [1, 2, 3]) orders.push((await answerOf("+81355550101", `1795500002.${n}`)).endpoints?.split(",") ?? []);
      const { admin, sales } = endpoints;
      // The cursor moved once for the away call above; each call from here moves it on by one.
      expect(orders).toEqual([[sales, admin], [admin, sales], [sales, admin]]);
    });
  });
}
