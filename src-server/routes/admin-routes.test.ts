import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Company } from "../../src-shared/domain/company";
import type { AdminUser, AdminUsersReply } from "../../src-shared/server-api/admin";
import type { ChangesReply } from "../../src-shared/server-api/changes";
import { snapshot } from "../test-support/test-db";
import { bearer, demoCredentials, startTestServer, type TestServer } from "../test-support/test-server";

describe("admin routes", () => {
  let server: TestServer;
  let admin: string;
  let other: string;
  beforeEach(async () => {
    server = await startTestServer();
    [admin, other] = await Promise.all([server.sessionFor(demoCredentials.admin), server.sessionFor(demoCredentials.otherAdmin)]);
  });
  afterEach(async () => {
    await server.close();
  });

  const get = (url: string, token: string) => server.app.inject({ method: "GET", url, headers: bearer(token) });
  const patch = (payload: unknown, token = admin) =>
    server.app.inject({ method: "PATCH", url: "/api/admin/company", headers: bearer(token), payload: payload as object });

  it("lists the company's users without their password hashes", async () => {
    const reply = await get("/api/admin/users", admin);
    expect(reply.statusCode).toBe(200);
    const { users } = reply.json<AdminUsersReply>();
    expect(users.map((u) => [u.email, u.role, u.callerEnabled])).toEqual([
      ["admin@demo.example", "admin", true],
      ["sales@demo.example", "regular", true],
    ]);
    expect(reply.body).not.toMatch(/scrypt|password/i);
  });

  it("patches name, country and time zone, and the change reaches the feed", async () => {
    const reply = await patch({ name: "  Demo Japan K.K. ", country: "us", timeZone: "America/Los_Angeles" });
    expect(reply.statusCode).toBe(200);
    const company = reply.json<Company>();
    expect(company).toMatchObject({ name: "Demo Japan K.K.", country: "US", timeZone: "America/Los_Angeles", plan: "professional" });
    expect((await get("/api/company", admin)).json()).toEqual(company);
    const feed = (await get("/api/changes", admin)).json<ChangesReply>();
    expect(feed.changes.at(-1)).toMatchObject({ entity: "company", entityId: String(company.id), op: "upsert", data: company, at: server.clock.now });
  });

  it.each([
    [{ name: "" }, "body.name"],
    [{ name: "x".repeat(201) }, "body.name"],
    [{ country: "XX" }, "body.country"],
    [{ country: "Japan" }, "body.country"],
    [{ timeZone: "Mars/Olympus_Mons" }, "body.timeZone"],
    [{ timeZone: "+09:00" }, "body.timeZone"],
    [{ plan: "enterprise" }, "plan"],
    [{ name: "Fine", currency: "JPY" }, "currency"],
    [{}, "at least one of name, country, timeZone"],
    [[], "body"],
  ])("refuses %j with a 400 naming %s, and writes nothing", async (payload, field) => {
    const before = await snapshot(server.db);
    const reply = await patch(payload);
    expect(reply.statusCode).toBe(400);
    expect(reply.json()).toMatchObject({ code: "bad_request", message: expect.stringContaining(field) as string });
    expect(await snapshot(server.db)).toEqual(before);
  });

  it("another company's admin neither sees nor changes this company's data", async () => {
    const demoBefore = (await get("/api/company", admin)).json<Company>();
    const demoFeedBefore = (await get("/api/changes", admin)).json<ChangesReply>();

    const theirUsers = (await get("/api/admin/users", other)).json<AdminUsersReply>().users;
    expect(theirUsers.map((u) => u.email)).toEqual(["admin@other.example"]);
    const theirCompany = (await get("/api/company", other)).json<Company>();
    expect(theirCompany.name).toBe("Other Co.");

    expect((await patch({ name: "Renamed by Other" }, other)).statusCode).toBe(200);
    expect((await get("/api/company", admin)).json()).toEqual(demoBefore);
    expect((await get("/api/changes", admin)).json()).toEqual(demoFeedBefore);

    const theirFeed = (await get("/api/changes", other)).json<ChangesReply>();
    expect(theirFeed.changes.length).toBeGreaterThan(0);
    expect(theirFeed.changes.every((c) => c.entityId === String(theirCompany.id))).toBe(true);
  });

  describe("POST /api/admin/users/:id/caller", () => {
    const setCaller = (id: number, enabled: boolean, token = admin) =>
      server.app.inject({ method: "POST", url: `/api/admin/users/${id}/caller`, headers: bearer(token), payload: { enabled } });
    const idOf = async (email: string): Promise<number> => ((await server.db("users").where({ email }).first<{ id: number }>())).id;

    it("revokes a user's Caller and retires their endpoint, then grants it back with a new endpoint; the user hears of both", async () => {
      const salesId = await idOf("sales@demo.example");
      await server.db("pbx_endpoints").insert({ company_id: 1, user_id: salesId, endpoint_id: `u${salesId}-abcdefghij`, sip_password: "old", created_at: 0, revoked_at: null });
      const off = await setCaller(salesId, false);
      expect(off.statusCode, off.body).toBe(200);
      expect(off.json<AdminUser>()).toMatchObject({ id: salesId, callerEnabled: false });
      expect(await server.db("pbx_endpoints").where({ user_id: salesId }).whereNull("revoked_at")).toEqual([]);
      const on = await setCaller(salesId, true);
      expect(on.json<AdminUser>().callerEnabled).toBe(true);
      const active = await server.db("pbx_endpoints").where({ user_id: salesId }).whereNull("revoked_at").pluck("endpoint_id");
      expect(active).toHaveLength(1);
      expect(active[0]).not.toBe(`u${salesId}-abcdefghij`);
      const sales = await server.sessionFor(demoCredentials.sales);
      const feed = (await get("/api/changes", sales)).json<ChangesReply>();
      expect(feed.changes.filter((c) => c.entity === "user").map((c) => (c.data as AdminUser).callerEnabled)).toEqual([false, true]);
    });

    it("refuses to revoke an admin (409), a user of another company (404), and a malformed id or body (400)", async () => {
      const adminId = await idOf("admin@demo.example");
      const otherId = await idOf("admin@other.example");
      const before = await snapshot(server.db);
      expect((await setCaller(adminId, false)).json()).toEqual({ code: "conflict", message: "An admin always has Caller: make them a regular user first", reason: "admin_keeps_caller", params: {} });
      expect((await setCaller(otherId, false)).statusCode).toBe(404);
      expect((await server.app.inject({ method: "POST", url: "/api/admin/users/abc/caller", headers: bearer(admin), payload: { enabled: false } })).statusCode).toBe(400);
      expect((await server.app.inject({ method: "POST", url: `/api/admin/users/${adminId}/caller`, headers: bearer(admin), payload: { enabled: "no" } })).statusCode).toBe(400);
      expect(await snapshot(server.db)).toEqual(before);
    });
  });
});
