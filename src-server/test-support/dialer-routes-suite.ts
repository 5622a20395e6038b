import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CallingHoursReply, dialerPaths, PrecheckReply, type CallingHoursBody } from "../../src-shared/server-api/dialer";
import { ensureEndpoint } from "../db/pbx-endpoints-repo";
import { findUserByEmail } from "../db/users-repo";
import type { TestDb } from "./test-db";
import { bearer, demoCredentials, startTestServer, type TestServer } from "./test-server";

// The seeded clock: Tuesday 2026-11-24 03:00 UTC, noon in Tokyo, 22:00 on Monday in New York.
const weekdays9to18: CallingHoursBody = { hours: { days: [1, 2, 3, 4, 5], from: "09:00", to: "18:00" } };

/** The precheck and the calling hours routes through the real database, once per engine. */
export function describeDialerRoutes(engine: string, open: () => Promise<TestDb>): void {
  describe(`power dialer routes on ${engine}`, () => {
    let handle: TestDb;
    let server: TestServer;
    let tokens: { sales: string; admin: string; other: string };

    beforeAll(async () => {
      handle = await open();
      server = await startTestServer({ db: handle.db });
      const [sales, admin, other] = await Promise.all([server.sessionFor(demoCredentials.sales), server.sessionFor(demoCredentials.admin), server.sessionFor(demoCredentials.otherAdmin)]);
      tokens = { sales, admin, other };
      // The app has a line (its SIP config made it) before it dials.
      for (const credentials of [demoCredentials.sales, demoCredentials.otherAdmin]) {
        const user = await findUserByEmail(handle.db, credentials.email);
        if (user === undefined) throw new Error(`no seeded ${credentials.email}`);
        await ensureEndpoint(handle.db, { id: user.id, companyId: user.companyId }, server.clock.now);
      }
    }, 60_000);
    afterAll(async () => {
      await server?.close();
      await handle?.close();
    });

    const send = (method: "GET" | "POST" | "PUT", url: string, token: string, payload?: object) =>
      server.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload }) });
    const precheck = async (numbers: string[], token = tokens.sales) => {
      const reply = await send("POST", dialerPaths.precheck, token, { numbers });
      expect(reply.statusCode, reply.body).toBe(200);
      return PrecheckReply.parse(reply.json()).results.map((r) => [r.number, r.verdict]);
    };
    const hoursOf = async (token: string) => CallingHoursReply.parse((await send("GET", dialerPaths.callingHours, token)).json()).hours;

    it("answers each number with authorize's verdict: callable, invalid, blocked", async () => {
      expect(await precheck(["+819012345679", "+12015550123", "+1201555", "+19005551234"])).toEqual([
        ["+819012345679", "ok"],
        ["+12015550123", "ok"],
        ["+1201555", "invalid_number"],
        ["+19005551234", "destination_blocked"],
      ]);
    });

    it("a user without a verified number is told so, for every number", async () => {
      expect(await precheck(["+12015550123"], tokens.other)).toEqual([["+12015550123", "number_not_verified"]]);
    });

    it("refuses a request that is not a list of numbers, and more than 50 at once", async () => {
      expect((await send("POST", dialerPaths.precheck, tokens.sales, { numbers: [] })).statusCode).toBe(400);
      expect((await send("POST", dialerPaths.precheck, tokens.sales, { numbers: "+12015550123" })).statusCode).toBe(400);
      expect((await send("POST", dialerPaths.precheck, tokens.sales, { numbers: Array.from({ length: 51 }, () => "+12015550123") })).statusCode).toBe(400);
      expect((await server.app.inject({ method: "POST", url: dialerPaths.precheck, payload: { numbers: ["+12015550123"] } })).statusCode).toBe(401);
    });

    it("calling hours: none by default; an admin sets them and a number outside them is skipped until they open", async () => {
      expect(await hoursOf(tokens.sales)).toBeNull();
      const put = await send("PUT", dialerPaths.callingHours, tokens.admin, weekdays9to18);
      expect(put.statusCode, put.body).toBe(200);
      expect(await hoursOf(tokens.sales)).toEqual(weekdays9to18.hours);
      const reply = PrecheckReply.parse((await send("POST", dialerPaths.precheck, tokens.sales, { numbers: ["+819012345679", "+12125550123", "+12085550123"] })).json());
      expect(reply.results[0]).toEqual({ number: "+819012345679", verdict: "ok" });
      // New York (212) at 22:00 Monday opens at 09:00 New York time, 14:00 UTC.
      expect(reply.results[1]).toEqual({ number: "+12125550123", verdict: "outside_calling_hours", opensAt: Date.UTC(2026, 10, 24, 14, 0) });
      // Idaho's 208 spans two zones: every US zone (Honolulu last) must be inside, from 19:00 UTC.
      expect(reply.results[2]).toEqual({ number: "+12085550123", verdict: "outside_calling_hours_all_zones", opensAt: Date.UTC(2026, 10, 24, 19, 0) });
      // Another company's hours are its own.
      expect(await hoursOf(tokens.other)).toBeNull();
      expect(await precheck(["+819012345679"], tokens.sales)).toEqual([["+819012345679", "ok"]]);
      expect((await send("PUT", dialerPaths.callingHours, tokens.admin, { hours: null })).statusCode).toBe(200);
      expect(await hoursOf(tokens.admin)).toBeNull();
    });

    it("only an admin sets calling hours, and bad hours change nothing", async () => {
      expect((await send("PUT", dialerPaths.callingHours, tokens.admin, weekdays9to18)).statusCode).toBe(200);
      const refused = await send("PUT", dialerPaths.callingHours, tokens.sales, { hours: null });
      expect(refused.statusCode).toBe(403);
      for (const hours of [
        { days: [1], from: "18:00", to: "09:00" },
        { days: [], from: "09:00", to: "18:00" },
        { days: [7], from: "09:00", to: "18:00" },
        { days: [1, 1], from: "09:00", to: "18:00" },
        { days: [1], from: "9:00", to: "18:00" },
        { days: [1], from: "09:00", to: "25:00" },
      ]) {
        const reply = await send("PUT", dialerPaths.callingHours, tokens.admin, { hours });
        expect(reply.statusCode, JSON.stringify(hours)).toBe(400);
      }
      expect(await hoursOf(tokens.admin)).toEqual(weekdays9to18.hours);
      expect((await send("PUT", dialerPaths.callingHours, tokens.admin, { hours: null })).statusCode).toBe(200);
    });

    it("a company without credit is told no_credit before the calling hours", async () => {
      const demo = await findUserByEmail(handle.db, demoCredentials.sales.email);
      const saved = await handle.db("credit_balances").where({ company_id: demo!.companyId }).first<{ bonus_micros: unknown; purchased_micros: unknown }>();
      await handle.db("credit_balances").where({ company_id: demo!.companyId }).update({ bonus_micros: 0, purchased_micros: 0 });
      try {
        expect(await precheck(["+819012345679"])).toEqual([["+819012345679", "no_credit"]]);
      } finally {
        await handle.db("credit_balances").where({ company_id: demo!.companyId }).update({ bonus_micros: saved?.bonus_micros, purchased_micros: saved?.purchased_micros });
      }
    });
  });
}
