import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallQualitySummary } from "../../src-shared/server-api/calls";
import { listUserCalls } from "../db/calls-repo";
import { ensureEndpoint } from "../db/pbx-endpoints-repo";
import { findUserByEmail } from "../db/users-repo";
import type { PbxServerConfig } from "../pbx/pbx-server-config";
import { bearer, demoCredentials, startTestServer, type TestServer } from "../test-support/test-server";
import { waitFor } from "../test-support/wait-for";

const pbx: PbxServerConfig = { secret: "s".repeat(32), wsUrl: "ws://127.0.0.1:8088/ws", sipDomain: "127.0.0.1", iceServers: [], ami: null, cdrStore: null };
const summary: CallQualitySummary = { mosAverage: 4.3, mosMin: 3.9, rttMsAverage: 12, jitterMsAverage: 3, packetLossPercent: 0.5, samples: 40 };

describe("POST /api/calls/quality", () => {
  let server: TestServer;
  let sales: string;
  let admin: string;
  let salesId: number;
  const clientCallId = randomUUID();

  beforeAll(async () => {
    server = await startTestServer({ pbx });
    const user = (await findUserByEmail(server.db, demoCredentials.sales.email))!;
    salesId = user.id;
    const { endpointId } = await ensureEndpoint(server.db, user, server.clock.now);
    // The call as the PBX announces it: authorize records it with the softphone's call id.
    const query = new URLSearchParams({ endpoint: endpointId, to: "+12015550123", uniqueid: "pbx-q.1", clientCallId });
    const authorized = await server.app.inject({ method: "GET", url: `/pbx/authorize?${query.toString()}`, headers: { "x-caller-pbx-secret": pbx.secret } });
    expect(authorized.body).toMatch(/^result=allow/);
    await waitFor(async () => (await listUserCalls(server.db, salesId))[0], "the authorized call's record");
    [sales, admin] = await Promise.all([server.sessionFor(demoCredentials.sales), server.sessionFor(demoCredentials.admin)]);
  });
  afterAll(async () => {
    await server.close();
  });

  const post = (token: string, payload: object) => server.app.inject({ method: "POST", url: "/api/calls/quality", headers: bearer(token), payload });

  it("stores the summary on the caller's own call", async () => {
    const reply = await post(sales, { clientCallId, summary });
    expect(reply.statusCode, reply.body).toBe(200);
    expect(reply.json()).toEqual({ ok: true });
    expect((await listUserCalls(server.db, salesId))[0]?.quality).toEqual(summary);
  });

  it("answers 404 for another user's call, even their admin's, and for an id it never saw, storing nothing", async () => {
    const before = await server.db("calls").select("quality_json");
    for (const [token, id] of [[admin, clientCallId], [sales, randomUUID()]] as const) {
      const reply = await post(token, { clientCallId: id, summary: { ...summary, mosAverage: 1 } });
      expect(reply.statusCode).toBe(404);
      expect(reply.json()).toMatchObject({ code: "not_found" });
    }
    expect(await server.db("calls").select("quality_json")).toEqual(before);
  });

  it("refuses a summary that does not fit with a 400 naming the field", async () => {
    const reply = await post(sales, { clientCallId, summary: { ...summary, packetLossPercent: 101 } });
    expect(reply.statusCode).toBe(400);
    expect(reply.json()).toMatchObject({ message: expect.stringContaining("body.summary.packetLossPercent") as string });
    expect((await post(sales, { clientCallId: "not-a-uuid", summary })).statusCode).toBe(400);
  });
});
