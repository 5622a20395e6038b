import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChangesReply } from "../../src-shared/server-api/changes";
import { serverPaths } from "../../src-shared/server-api/paths";
import { ChainReply, TransferTargetsReply, transferPaths } from "../../src-shared/server-api/transfers";
import { newCallFields } from "../calls/call-fields";
import { withdrawCall } from "../calls/save-call";
import { insertCall, toHistoryCall } from "../db/calls-repo";
import { ensureEndpoint } from "../db/pbx-endpoints-repo";
import { findUserByEmail, type UserRecord } from "../db/users-repo";
import { setAvailability } from "../inbound/inbound-repo";
import { openTeammateLeg } from "../transfers/teammate-leg";
import { insertTransfer } from "../transfers/transfers-repo";
import type { TestDb } from "./test-db";
import { bearer, demoCredentials, startTestServer, type TestServer } from "./test-server";

/** The teammates a call can be handed to, and a call's transfer chain for history, through the real database, once per engine. */
export function describeTransferRoutes(engine: string, open: () => Promise<TestDb>): void {
  describe(`transfer teammates and chains on ${engine}`, () => {
    let handle: TestDb;
    let server: TestServer;
    let tokens: { sales: string; admin: string; other: string };
    let users: { sales: UserRecord; admin: UserRecord; other: UserRecord };

    beforeAll(async () => {
      handle = await open();
      server = await startTestServer({ db: handle.db });
      const [sales, admin, other] = await Promise.all([server.sessionFor(demoCredentials.sales), server.sessionFor(demoCredentials.admin), server.sessionFor(demoCredentials.otherAdmin)]);
      tokens = { sales, admin, other };
      const user = async (email: string) => (await findUserByEmail(server.db, email))!;
      users = { sales: await user(demoCredentials.sales.email), admin: await user(demoCredentials.admin.email), other: await user(demoCredentials.otherAdmin.email) };
    }, 60_000);
    afterAll(async () => {
      await server?.close();
      await handle?.close();
    });

    const get = async (token: string, url: string) => server.app.inject({ method: "GET", url, headers: bearer(token) });
    const teammates = async (token: string) => {
      const reply = await get(token, transferPaths.targets);
      expect(reply.statusCode, reply.body).toBe(200);
      return TransferTargetsReply.parse(reply.json()).teammates;
    };
    const chain = (token: string, callId: number) => get(token, transferPaths.chain.replace(":callId", String(callId)));
    const call = async (user: UserRecord, clientCallId: string, number: string) => {
      const now = server.clock.now;
      const fields = newCallFields({ companyId: user.companyId, userId: user.id, pbxUniqueid: `1700000000.${clientCallId.slice(0, 4)}`, clientCallId, number, status: "ended", startedAt: now, refusalReason: null });
      return (await server.db.transaction((trx) => insertCall(trx, fields, now)))!;
    };

    it("lists the company's other users whose app can be rung, with their available/away state; never the caller, nor another company's", async () => {
      expect(await teammates(tokens.sales)).toEqual([]);
      await ensureEndpoint(server.db, users.admin, server.clock.now);
      await ensureEndpoint(server.db, users.other, server.clock.now);
      expect(await teammates(tokens.sales)).toEqual([{ userId: users.admin.id, name: "Aiko Admin", availability: "available" }]);
      await setAvailability(server.db, users.admin.id, "away", server.clock.now);
      expect(await teammates(tokens.sales)).toEqual([{ userId: users.admin.id, name: "Aiko Admin", availability: "away" }]);
      // The sales user has no endpoint yet: the admin sees nobody to hand a call to.
      expect(await teammates(tokens.admin)).toEqual([]);
      await ensureEndpoint(server.db, users.sales, server.clock.now);
      expect((await teammates(tokens.admin)).map((m) => m.name)).toEqual(["Sora Sales"]);
    });

    it("a call's chain names the transfer on both calls, links the other call when the viewer may open it, and is refused to other companies", async () => {
      const first = await call(users.sales, "1111aaaa-0000-4000-8000-000000000001", "+12015550101");
      const consult = await call(users.sales, "2222bbbb-0000-4000-8000-000000000002", "+12015550102");
      const blind = await call(users.sales, "3333cccc-0000-4000-8000-000000000003", "+12015550103");
      const at = server.clock.now;
      await insertTransfer(server.db, { callId: first.id, companyId: users.sales.companyId, userId: users.sales.id, mode: "attended", toNumber: "+12015550102", toUserId: null, legClientCallId: consult.clientCallId!, farUniqueid: null, legUniqueid: consult.pbxUniqueid }, at);
      await insertTransfer(server.db, { callId: blind.id, companyId: users.sales.companyId, userId: users.sales.id, mode: "blind", toNumber: "", toUserId: users.admin.id, legClientCallId: "4444dddd-0000-4000-8000-000000000004", farUniqueid: null, legUniqueid: null }, at);

      const of = async (token: string, callId: number) => {
        const reply = await chain(token, callId);
        expect(reply.statusCode, reply.body).toBe(200);
        return ChainReply.parse(reply.json()).entries;
      };
      expect(await of(tokens.sales, first.id)).toEqual([{ role: "from", mode: "attended", toName: null, toNumber: "+12015550102", byName: "Sora Sales", at, linkedCallId: String(consult.id) }]);
      expect(await of(tokens.sales, consult.id)).toEqual([{ role: "leg", mode: "attended", toName: null, toNumber: "+12015550102", byName: "Sora Sales", at, linkedCallId: String(first.id) }]);
      expect(await of(tokens.sales, blind.id)).toEqual([{ role: "from", mode: "blind", toName: "Aiko Admin", toNumber: "", byName: "Sora Sales", at, linkedCallId: null }]);
      expect(await of(tokens.admin, first.id)).toHaveLength(1);
      // Another company's admin, and a bad id, learn nothing.
      expect((await chain(tokens.other, first.id)).statusCode).toBe(404);
      expect((await get(tokens.sales, transferPaths.chain.replace(":callId", "abc"))).statusCode).toBe(400);
    });

    it("the teammate's leg is a received call of theirs, synced to their app with who transferred it, and in the chain as the leg", async () => {
      const first = await call(users.admin, "5555eeee-0000-4000-8000-000000000005", "+12015550105");
      const at = server.clock.now;
      const legClientCallId = "6666ffff-0000-4000-8000-000000000006";
      await insertTransfer(server.db, { callId: first.id, companyId: users.admin.companyId, userId: users.admin.id, mode: "blind", toNumber: "", toUserId: users.sales.id, legClientCallId, farUniqueid: null, legUniqueid: null }, at);
      const leg = { companyId: users.admin.companyId, teammateId: users.sales.id, farUniqueid: "1700000000.far6", legClientCallId, number: "+12015550105", byName: "Aiko Admin" };
      await server.db.transaction((trx) => openTeammateLeg(trx, leg, at));
      // Made twice (a retried transfer cannot, but the PBX path is idempotent on the uniqueid): one record.
      await server.db.transaction((trx) => openTeammateLeg(trx, { ...leg, byName: "Someone Else" }, at));
      const rows = await server.db("calls").where({ pbx_uniqueid: leg.farUniqueid });
      expect(rows).toHaveLength(1);
      const legId = Number((rows[0] as { id: number | string }).id);

      const feed = await get(tokens.sales, `${serverPaths.changes}?since=0&limit=5000`);
      expect(feed.statusCode, feed.body).toBe(200);
      const upserts = ChangesReply.parse(feed.json()).changes.filter((c) => c.entity === "call" && c.entityId === String(legId));
      expect(upserts.at(-1)?.data).toMatchObject({ direction: "inbound", number: "+12015550105", disposition: "in_progress", costMicros: null, userId: String(users.sales.id), transferredBy: "Aiko Admin" });
      // The transferred call itself carries no such name.
      expect(toHistoryCall(first)).not.toHaveProperty("transferredBy");

      const reply = await chain(tokens.sales, legId);
      expect(reply.statusCode, reply.body).toBe(200);
      // The teammate may not open the admin's call: named, not linked.
      expect(ChainReply.parse(reply.json()).entries).toEqual([{ role: "leg", mode: "blind", toName: "Sora Sales", toNumber: "", byName: "Aiko Admin", at, linkedCallId: null }]);
      const fromAdmin = ChainReply.parse((await chain(tokens.admin, first.id)).json()).entries;
      expect(fromAdmin).toEqual([{ role: "from", mode: "blind", toName: "Sora Sales", toNumber: "", byName: "Aiko Admin", at, linkedCallId: String(legId) }]);

      // A transfer the PBX then could not make takes the teammate's record back: gone from their app too.
      // Another client call id under that uniqueid is not this transfer's record: left alone.
      await server.db.transaction((trx) => withdrawCall(trx, leg.farUniqueid, "7777aaaa-0000-4000-8000-000000000007", server.clock.now));
      expect(await server.db("calls").where({ pbx_uniqueid: leg.farUniqueid })).toHaveLength(1);
      await server.db.transaction((trx) => withdrawCall(trx, leg.farUniqueid, legClientCallId, server.clock.now));
      expect(await server.db("calls").where({ pbx_uniqueid: leg.farUniqueid })).toEqual([]);
      const after = ChangesReply.parse((await get(tokens.sales, `${serverPaths.changes}?since=0&limit=5000`)).json()).changes.filter((c) => c.entity === "call" && c.entityId === String(legId));
      expect(after.at(-1)).toMatchObject({ op: "delete" });
    });
  });
}
