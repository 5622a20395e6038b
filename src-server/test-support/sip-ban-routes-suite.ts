import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SipBan, SipBansReply, operatorPaths } from "../../src-shared/server-api/operator";
import { pathWithId } from "../../src-shared/server-api/company-admin";
import { activeSipBans, banSipAddress } from "../pbx/sip-bans";
import type { TestDb } from "./test-db";
import { bearer, demoCredentials, startTestServer, type TestServer } from "./test-server";

/** The operator's SIP ban routes through the real database, once per engine. */
export function describeSipBanRoutes(engine: string, open: () => Promise<TestDb>): void {
  describe(`the operator's SIP bans on ${engine}`, () => {
    let handle: TestDb;
    let server: TestServer;
    beforeAll(async () => {
      handle = await open();
      server = await startTestServer({ db: handle.db });
    }, 60_000);
    afterAll(async () => {
      await server?.close();
      await handle?.close();
    });

    const ban = (address: string) => banSipAddress(server.db, { address, failures: 9, firstFailureAt: server.clock.now - 30_000, now: server.clock.now, durationMs: 3_600_000 });
    const as = (token: string | null, method: "GET" | "POST", url: string) => server.app.inject({ method, url, headers: token === null ? {} : bearer(token) });

    it("a company admin, a user and nobody are refused both routes, and nothing is lifted", async () => {
      const banned = (await ban("203.0.113.7"))!;
      const lift = pathWithId(operatorPaths.sipBanLift, banned.id);
      for (const credentials of [demoCredentials.admin, demoCredentials.sales]) {
        const token = await server.sessionFor(credentials);
        expect((await as(token, "GET", operatorPaths.sipBans)).statusCode).toBe(403);
        expect((await as(token, "POST", lift)).statusCode).toBe(403);
      }
      expect((await as(null, "GET", operatorPaths.sipBans)).statusCode).toBe(401);
      expect((await as(null, "POST", lift)).statusCode).toBe(401);
      expect((await activeSipBans(server.db, server.clock.now)).map((b) => b.id)).toContain(banned.id);
    });

    it("the operator lists the bans in force and lifts one by id; it stays in the history", async () => {
      const operator = await server.signIn(demoCredentials.operator);
      const banned = (await ban("2001:DB8::5"))!;
      const listed = SipBansReply.parse((await as(operator, "GET", operatorPaths.sipBans)).json());
      expect(listed.bans.find((b) => b.id === banned.id)).toMatchObject({ address: "2001:db8::5", failures: 9, liftedAt: null });

      const reply = await as(operator, "POST", pathWithId(operatorPaths.sipBanLift, banned.id));
      expect(reply.statusCode, reply.body).toBe(200);
      expect(SipBan.parse(reply.json())).toMatchObject({ id: banned.id, liftedBy: demoCredentials.operator.email, liftedAt: server.clock.now });
      expect((await activeSipBans(server.db, server.clock.now)).map((b) => b.id)).not.toContain(banned.id);
      expect(SipBansReply.parse((await as(operator, "GET", operatorPaths.sipBans)).json()).bans.map((b) => b.id)).not.toContain(banned.id);
      expect(SipBansReply.parse((await as(operator, "GET", `${operatorPaths.sipBans}?history=true`)).json()).bans.find((b) => b.id === banned.id)).toMatchObject({ liftedBy: demoCredentials.operator.email });

      expect((await as(operator, "POST", pathWithId(operatorPaths.sipBanLift, banned.id))).statusCode).toBe(409);
      expect((await as(operator, "POST", pathWithId(operatorPaths.sipBanLift, 999_999))).statusCode).toBe(404);
      expect((await as(operator, "POST", "/api/operator/sip-bans/abc/lift")).statusCode).toBe(400);
    });
  });
}
