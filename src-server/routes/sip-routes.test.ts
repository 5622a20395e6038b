import { afterEach, describe, expect, it } from "vitest";
import type { SipConfig } from "../../src-shared/server-api/sip";
import type { PbxServerConfig } from "../pbx/pbx-server-config";
import { bearer, demoCredentials, startTestServer, type TestServer } from "../test-support/test-server";

const pbx: PbxServerConfig = {
  secret: "s".repeat(32),
  wsUrl: "wss://pbx.example.com/ws",
  sipDomain: "pbx.example.com",
  iceServers: [{ urls: "stun:stun.example.com:3478" }],
  ami: null,
  cdrStore: null,
};

describe("GET /api/sip/config", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  const get = async (token: string) => server!.app.inject({ method: "GET", url: "/api/sip/config", headers: bearer(token) });

  it("gives a Caller user their own endpoint's credentials, the PBX's URL and ICE servers, never cached", async () => {
    server = await startTestServer({ pbx });
    const reply = await get(await server.sessionFor(demoCredentials.admin));
    expect(reply.statusCode).toBe(200);
    expect(reply.headers["cache-control"]).toBe("no-store");
    const config = reply.json<SipConfig>();
    expect(config).toMatchObject({ wsUrl: pbx.wsUrl, displayName: "Aiko Admin", iceServers: pbx.iceServers });
    expect(config.aor).toBe(`sip:${config.username}@pbx.example.com`);
    const other = (await get(await server.sessionFor(demoCredentials.sales))).json<SipConfig>();
    expect(other.username).not.toBe(config.username);
    expect(other.password).not.toBe(config.password);
    expect(await server.db("pbx_endpoints").count<{ n: number }[]>({ n: "*" })).toEqual([{ n: 2 }]);
  });

  it("refuses with 403 and says why when Caller is off for the user, or not in the plan", async () => {
    server = await startTestServer({ pbx });
    const sales = await server.sessionFor(demoCredentials.sales);
    await server.db("users").where({ email: demoCredentials.sales.email }).update({ caller_enabled: false });
    expect((await get(sales)).json()).toEqual({ code: "forbidden", message: "Caller is not enabled for you: ask your company's admin to enable it", reason: "caller_not_enabled", params: {} });
    await server.db("companies").where({ name: "Demo K.K." }).update({ plan: "advanced" });
    const reply = await get(await server.sessionFor(demoCredentials.admin));
    expect(reply.statusCode).toBe(403);
    expect(reply.json()).toEqual({ code: "forbidden", message: "Caller is not part of the advanced plan: it comes with Professional and Enterprise", reason: "plan_without_caller", params: {} });
    expect(await server.db("pbx_endpoints").count<{ n: number }[]>({ n: "*" })).toEqual([{ n: 0 }]);
  });

  it("answers 503 when the server has no PBX: calls are disabled", async () => {
    server = await startTestServer();
    const reply = await get(await server.sessionFor(demoCredentials.admin));
    expect(reply.statusCode).toBe(503);
    expect(reply.json()).toMatchObject({ message: expect.stringMatching(/no PBX configured/) as string });
  });
});
