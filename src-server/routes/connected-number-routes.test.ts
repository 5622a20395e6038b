import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AdminUser, AdminUsersReply } from "../../src-shared/server-api/admin";
import type { ChangesReply } from "../../src-shared/server-api/changes";
import { findUserByEmail } from "../db/users-repo";
import { bearer, demoCredentials, startTestServer, type TestServer } from "../test-support/test-server";

describe("a user's connected number", () => {
  let server: TestServer;
  let sales: string;
  let admin: string;
  beforeEach(async () => {
    server = await startTestServer();
    [sales, admin] = await Promise.all([server.sessionFor(demoCredentials.sales), server.sessionFor(demoCredentials.admin)]);
  });
  afterEach(async () => {
    await server.close();
  });

  const call = (method: "GET" | "DELETE", token: string) => server.app.inject({ method, url: "/api/me/number", headers: bearer(token) });

  it("a user reads their own connected number; without a session it is 401", async () => {
    expect((await call("GET", sales)).json()).toEqual({ number: "+819012345678", extension: null });
    expect((await server.app.inject({ method: "GET", url: "/api/me/number" })).statusCode).toBe(401);
  });

  it("carries the extension the verification of that number dialed, so every device shows it", async () => {
    const user = (await findUserByEmail(server.db, demoCredentials.sales.email))!;
    const row = (id: string, number: string, state: string, extension: string | null, at: number) => ({
      id, company_id: user.companyId, user_id: user.id, number, code_salt: "s", code_hash: "h", state, pbx_channel_id: `ch-${id}`, created_at: at, expires_at: at + 1, updated_at: at, extension,
    });
    await server.db("verifications").insert([
      row("v1", "+819012345678", "verified", "12", 1),
      row("v2", "+819012345678", "verified", "204", 2),
      row("v3", "+819012345678", "wrong_code", "999", 3),
      row("v4", "+815012345678", "verified", "777", 4),
    ]);
    expect((await call("GET", sales)).json()).toEqual({ number: "+819012345678", extension: "204" });
  });

  it("disconnecting clears it for the next call, shows in the admins' list and reaches the user's feed", async () => {
    const reply = await call("DELETE", sales);
    expect([reply.statusCode, reply.json()]).toEqual([200, { number: null }]);
    expect((await findUserByEmail(server.db, demoCredentials.sales.email))?.verifiedNumber).toBeNull();
    expect((await call("GET", sales)).json()).toEqual({ number: null, extension: null });

    const list = (await server.app.inject({ method: "GET", url: "/api/admin/users", headers: bearer(admin) })).json<AdminUsersReply>();
    expect(list.users.map((u) => [u.email, u.verifiedNumber])).toEqual([
      ["admin@demo.example", (await findUserByEmail(server.db, demoCredentials.admin.email))?.verifiedNumber ?? null],
      ["sales@demo.example", null],
    ]);
    const feed = (await server.app.inject({ method: "GET", url: "/api/changes", headers: bearer(sales) })).json<ChangesReply>();
    const change = feed.changes.filter((c) => c.entity === "user").at(-1);
    expect((change?.data as AdminUser | undefined)?.verifiedNumber).toBeNull();
  });

  it("disconnecting one user's number leaves everyone else's alone", async () => {
    const before = (await findUserByEmail(server.db, demoCredentials.admin.email))?.verifiedNumber;
    await call("DELETE", sales);
    expect((await findUserByEmail(server.db, demoCredentials.admin.email))?.verifiedNumber).toBe(before);
  });
});
