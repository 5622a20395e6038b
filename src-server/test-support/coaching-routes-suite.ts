import { EventEmitter } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CoachingLogReply, CoachingNotice, CoachingStartReply, LiveCallsReply, coachingPaths } from "../../src-shared/server-api/coaching";
import { newCallFields } from "../calls/call-fields";
import { coachingPbxPath } from "../coaching/coaching-routes";
import { insertCall } from "../db/calls-repo";
import { ensureEndpoint } from "../db/pbx-endpoints-repo";
import { findUserByEmail } from "../db/users-repo";
import type { AmiClient } from "../pbx/ami-client";
import { pbxSecretHeader } from "../pbx/pbx-guard";
import type { TestDb } from "./test-db";
import { bearer, demoCredentials, startTestServer, type TestServer } from "./test-server";

const secret = "route-test-secret";
const clientCallId = "0f0e0d0c-0b0a-4908-8706-050403020100";

/**
 * Coaching's routes and the PBX's token exchange through the real database, once per engine. The
 * calls' live channels come from AMI events fed in by hand here; the real Asterisk is e2e/coaching.test.ts.
 */
export function describeCoachingRoutes(engine: string, open: () => Promise<TestDb>): void {
  describe(`coaching on ${engine}`, () => {
    let handle: TestDb;
    let server: TestServer;
    let tokens: { sales: string; admin: string; other: string };
    let endpoints: { sales: string; admin: string; other: string };
    const ami = new EventEmitter();
    let callId = "";
    let coachLeftAt = 0;

    beforeAll(async () => {
      handle = await open();
      const pbx = { secret, wsUrl: "ws://127.0.0.1:1/ws", sipDomain: "127.0.0.1", iceServers: [], ami: null, cdrStore: null };
      server = await startTestServer({ db: handle.db, pbx, voicemailDrops: true });
      server.channels!.attach(ami as unknown as AmiClient);
      server.coaching.attach(ami as unknown as AmiClient);
      const [sales, admin, other] = await Promise.all([server.sessionFor(demoCredentials.sales), server.sessionFor(demoCredentials.admin), server.sessionFor(demoCredentials.otherAdmin)]);
      tokens = { sales, admin, other };
      const user = async (email: string) => (await findUserByEmail(server.db, email))!;
      const [salesUser, adminUser, otherUser] = await Promise.all([user(demoCredentials.sales.email), user(demoCredentials.admin.email), user(demoCredentials.otherAdmin.email)]);
      const now = server.clock.now;
      endpoints = {
        sales: (await ensureEndpoint(server.db, salesUser, now)).endpointId,
        admin: (await ensureEndpoint(server.db, adminUser, now)).endpointId,
        other: (await ensureEndpoint(server.db, otherUser, now)).endpointId,
      };
      // The sales user's call, answered, as authorize and AMI leave it.
      const fields = newCallFields({ companyId: salesUser.companyId, userId: salesUser.id, pbxUniqueid: "1700000000.7", clientCallId, number: "+12015550123", status: "authorized", startedAt: now, refusalReason: null });
      const call = await server.db.transaction((trx) => insertCall(trx, fields, now));
      callId = String(call!.id);
      ami.emit("event", { event: "Newchannel", uniqueid: "1700000000.7", channel: `PJSIP/${endpoints.sales}-00000007` });
      ami.emit("event", { event: "DialBegin", uniqueid: "1700000000.7", destchannel: "PJSIP/test-trunk-00000008", destuniqueid: "1700000000.8" });
      ami.emit("event", { event: "DialEnd", uniqueid: "1700000000.7", dialstatus: "ANSWER" });
    }, 60_000);
    afterAll(async () => {
      await server?.close();
      await handle?.close();
    });

    const call = (token: string | null, method: "GET" | "POST" | "PUT", url: string, payload?: object) =>
      server.app.inject({ method, url, headers: token === null ? {} : bearer(token), ...(payload === undefined ? {} : { payload }) });
    const pbx = (query: Record<string, string>, withSecret = true) =>
      server.app.inject({ method: "GET", url: `${coachingPbxPath}?${new URLSearchParams(query).toString()}`, headers: withSecret ? { [pbxSecretHeader]: secret } : {}, remoteAddress: "127.0.0.1" });
    const start = async (mode: string, token = tokens.admin, id = callId) => call(token, "POST", coachingPaths.sessions, { callId: id, mode });
    const sessions = async () => server.db("coaching_sessions").orderBy("id").select("id", "mode", "joined_at", "spy_uniqueid");

    it("only a company admin sees live calls, starts a session, reads the log or sets the policy", async () => {
      for (const [method, url, body] of [
        ["GET", coachingPaths.liveCalls],
        ["POST", coachingPaths.sessions, { callId, mode: "listen" }],
        ["GET", coachingPaths.log],
        ["GET", coachingPaths.policy],
        ["PUT", coachingPaths.policy, { notifyUser: true }],
      ] as const) {
        expect((await call(tokens.sales, method, url, body)).statusCode, `${method} ${url} as a user`).toBe(403);
        expect((await call(null, method, url, body)).statusCode, `${method} ${url} signed out`).toBe(401);
      }
      expect(await sessions()).toEqual([]);
    });

    it("an admin sees the company's answered call as joinable; another company's admin does not see it", async () => {
      const mine = LiveCallsReply.parse((await call(tokens.admin, "GET", coachingPaths.liveCalls)).json());
      expect(mine.calls).toEqual([expect.objectContaining({ callId, userName: expect.any(String) as string, number: "+12015550123", joinable: true })]);
      const theirs = LiveCallsReply.parse((await call(tokens.other, "GET", coachingPaths.liveCalls)).json());
      expect(theirs.calls).toEqual([]);
    });

    it("bad input is refused and changes nothing", async () => {
      expect((await start("spy")).statusCode).toBe(400);
      expect((await start("listen", tokens.admin, "abc")).statusCode).toBe(400);
      expect((await start("listen", tokens.admin, "999999")).statusCode).toBe(404);
      expect((await start("listen", tokens.other)).statusCode).toBe(404);
      expect((await call(tokens.admin, "PUT", coachingPaths.policy, { notifyUser: "yes" })).statusCode).toBe(400);
      expect(await sessions()).toEqual([]);
    });

    it("the PBX trades the admin's token once for the user's channel and the mode; forged, reused, someone else's or secretless requests are denied", async () => {
      const reply = await start("whisper");
      expect(reply.statusCode, reply.body).toBe(200);
      const { token, target, header } = CoachingStartReply.parse(reply.json());
      expect({ target, header, token: /^[0-9a-f]{64}$/.test(token) }).toEqual({ target: "coach", header: "X-Caller-Coach-Token", token: true });

      expect((await pbx({ endpoint: endpoints.admin, token, uniqueid: "1700000000.9" }, false)).statusCode).toBe(401);
      for (const [who, query] of [
        ["forged", { endpoint: endpoints.admin, token: "ab".repeat(32), uniqueid: "1700000000.9" }],
        ["the user's endpoint", { endpoint: endpoints.sales, token, uniqueid: "1700000000.9" }],
        ["another company's admin", { endpoint: endpoints.other, token, uniqueid: "1700000000.9" }],
        ["malformed", { endpoint: endpoints.admin, token: `${token}&mode=barge`, uniqueid: "1700000000.9" }],
      ] as const) {
        const denied = await pbx(query);
        expect([denied.statusCode, denied.body], who).toEqual([200, "result=deny"]);
      }
      // None of those used the token up.
      expect((await sessions()).map((s: { joined_at: unknown }) => s.joined_at)).toEqual([null]);

      const allowed = await pbx({ endpoint: endpoints.admin, token, uniqueid: "1700000000.9" });
      expect(allowed.body).toBe(`result=allow&channel=${encodeURIComponent(`PJSIP/${endpoints.sales}-00000007`)}&mode=whisper`);
      const again = await pbx({ endpoint: endpoints.admin, token, uniqueid: "1700000000.10" });
      expect(again.body).toBe("result=deny");
    });

    it("an expired token is denied", async () => {
      const { token } = CoachingStartReply.parse((await start("listen")).json());
      server.clock.now += 31_000;
      expect((await pbx({ endpoint: endpoints.admin, token, uniqueid: "1700000000.11" })).body).toBe("result=deny");
    });

    it("the user is told who is on their call only when the company's policy says so, and only while the admin's channel is up", async () => {
      const noticePath = coachingPaths.notice.replace(":clientCallId", clientCallId);
      ami.emit("event", { event: "Newchannel", uniqueid: "1700000000.9", channel: `PJSIP/${endpoints.admin}-00000009` });
      expect(CoachingNotice.parse((await call(tokens.sales, "GET", noticePath)).json())).toEqual({ coach: null });
      expect((await call(tokens.admin, "PUT", coachingPaths.policy, { notifyUser: true })).json()).toEqual({ notifyUser: true });
      expect(CoachingNotice.parse((await call(tokens.sales, "GET", noticePath)).json())).toEqual({ coach: { name: expect.any(String) as string, mode: "whisper" } });
      server.clock.now += 42_000;
      coachLeftAt = server.clock.now;
      // The admin's leg hangs up in [coach]: the session's end is noted for the log.
      ami.emit("event", { event: "Hangup", uniqueid: "1700000000.9", context: "coach" });
      expect(CoachingNotice.parse((await call(tokens.sales, "GET", noticePath)).json())).toEqual({ coach: null });
      expect((await call(tokens.other, "GET", noticePath)).statusCode).toBe(404);
    });

    it("each use is in the company's log and the call's history detail, for the admin and the call's user only", async () => {
      const log = CoachingLogReply.parse((await call(tokens.admin, "GET", coachingPaths.log)).json());
      expect(log.entries.map((e) => [e.callId, e.mode, e.joinedAt !== null, e.leftAt])).toEqual([
        [callId, "listen", false, null],
        [callId, "whisper", true, coachLeftAt],
      ]);
      expect(CoachingLogReply.parse((await call(tokens.other, "GET", coachingPaths.log)).json()).entries).toEqual([]);
      const callLog = coachingPaths.callLog.replace(":callId", callId);
      expect(CoachingLogReply.parse((await call(tokens.sales, "GET", callLog)).json()).entries).toHaveLength(2);
      expect((await call(tokens.other, "GET", callLog)).statusCode).toBe(404);
    });
  });
}
