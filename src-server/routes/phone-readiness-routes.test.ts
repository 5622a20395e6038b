import { afterEach, describe, expect, it } from "vitest";
import type { PhoneReadinessReply } from "../../src-shared/server-api/phone-readiness";
import { bearer, demoCredentials, startTestServer, type TestServer } from "../test-support/test-server";

describe("GET /api/me/phone", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  const get = async (token: string) => (await server!.app.inject({ method: "GET", url: "/api/me/phone", headers: bearer(token) })).json<PhoneReadinessReply>();

  it("tells a seeded user with a number and a funded company that every condition holds", async () => {
    server = await startTestServer();
    expect(await get(await server.sessionFor(demoCredentials.sales))).toEqual({ planIncludesCaller: true, userMayCall: true, verifiedNumber: "+819012345678", hasCredit: true });
  });

  it("says which condition fails: no number, no access, a plan without Caller, an empty balance", async () => {
    server = await startTestServer();
    expect((await get(await server.sessionFor(demoCredentials.otherAdmin))).verifiedNumber).toBeNull();
    const sales = await server.sessionFor(demoCredentials.sales);
    await server.db("users").where({ email: demoCredentials.sales.email }).update({ caller_enabled: false });
    await server.db("companies").where({ name: "Demo K.K." }).update({ plan: "advanced" });
    await server.db("credit_balances").update({ bonus_micros: 0, purchased_micros: 0 });
    expect(await get(sales)).toEqual({ planIncludesCaller: false, userMayCall: false, verifiedNumber: "+819012345678", hasCredit: false });
  });

  it("refuses without a session", async () => {
    server = await startTestServer();
    expect((await server.app.inject({ method: "GET", url: "/api/me/phone" })).statusCode).toBe(401);
  });
});
