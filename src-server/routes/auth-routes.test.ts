import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Me, OperatorSignInReply, SignInReply } from "../../src-shared/server-api/auth";
import { hashPassword } from "../auth/password";
import { createCompany } from "../db/companies-repo";
import { createUser } from "../db/users-repo";
import { snapshot } from "../test-support/test-db";
import { bearer, demoCredentials, startTestServer, type TestServer } from "../test-support/test-server";

describe("sign-in and sessions", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  const signIn = (payload: unknown) => server.app.inject({ method: "POST", url: "/api/auth/sign-in", payload: payload as object });

  it("the right password returns a token, the user, the company and Caller access", async () => {
    const reply = await signIn({ email: " Admin@Demo.Example ", password: demoCredentials.admin.password });
    expect(reply.statusCode).toBe(200);
    const body = reply.json<SignInReply>();
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.user).toMatchObject({ email: "admin@demo.example", name: "Aiko Admin", role: "admin", locale: "ja" });
    expect(body.company).toMatchObject({ name: "Demo K.K.", plan: "professional" });
    expect(body.callerEnabled).toBe(true);
    expect(reply.body).not.toMatch(/scrypt|password/i);

    const stored = await server.db("sessions").pluck("token_hash");
    expect(stored).toContain(createHash("sha256").update(body.token).digest("hex"));
    expect(stored).not.toContain(body.token);

    const me = await server.app.inject({ method: "GET", url: "/api/me", headers: bearer(body.token) });
    const { token: _token, account, ...expected } = body;
    expect(account).toBe("user");
    expect(me.json<Me>()).toEqual(expected);
  });

  it("the operator signs in on the same route and gets a reply of its own: no company, a session kept apart from users'", async () => {
    const reply = await signIn({ email: " Operator@Demo.Example ", password: demoCredentials.operator.password });
    expect(reply.statusCode).toBe(200);
    const body = reply.json<OperatorSignInReply>();
    expect(body).toEqual({ account: "operator", operator: { id: expect.any(Number) as number, email: "operator@demo.example", name: "Demo Operator" }, token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) as string });
    expect(reply.body).not.toMatch(/company|scrypt|password/i);
    const hash = createHash("sha256").update(body.token).digest("hex");
    expect(await server.db("operator_sessions").pluck("token_hash")).toContain(hash);
    expect(await server.db("sessions").pluck("token_hash")).not.toContain(hash);
    expect((await server.app.inject({ method: "GET", url: "/api/me", headers: bearer(body.token) })).statusCode).toBe(403);

    const wrong = await signIn({ email: demoCredentials.operator.email, password: "demo-admin" });
    expect([wrong.statusCode, wrong.json()]).toEqual([401, { code: "invalid_credentials", message: "Wrong email or password" }]);
  });

  it("a wrong password and an unknown email get the same 401", async () => {
    const wrong = await signIn({ email: demoCredentials.admin.email, password: "not-it" });
    const unknown = await signIn({ email: "nobody@demo.example", password: "not-it" });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ code: "invalid_credentials", message: "Wrong email or password" });
    expect(unknown.body).toBe(wrong.body);
  });

  it("an unknown email takes about as long as a wrong password", async () => {
    // Past the throttle's memory of the earlier tests' failures: five of each stay below its first wait.
    server.clock.now += 24 * 60 * 60_000 + 1;
    const timed = async (email: string): Promise<number> => {
      const start = performance.now();
      await signIn({ email, password: "not-it" });
      return performance.now() - start;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    // Interleaved, so load from other processes falls on both alike.
    for (let i = 0; i < 5; i += 1) {
      known.push(await timed(demoCredentials.admin.email));
      unknown.push(await timed("nobody@demo.example"));
    }
    const median = (xs: number[]): number => xs.sort((a, b) => a - b)[2]!;
    // Without the dummy hash an unknown email answers in ~1 ms against ~85 ms.
    expect(median(known)).toBeGreaterThan(20);
    expect(median(unknown) / median(known)).toBeGreaterThan(0.5);
    expect(median(unknown) / median(known)).toBeLessThan(2);
  });

  it("a malformed sign-in is a 400 naming the field, and writes no session", async () => {
    const before = await snapshot(server.db);
    const reply = await signIn({ email: "not-an-email", password: "x" });
    expect(reply.statusCode).toBe(400);
    expect(reply.json()).toMatchObject({ code: "bad_request", message: expect.stringContaining("body.email") as string });
    const missing = await signIn({ email: demoCredentials.admin.email });
    expect(missing.json()).toMatchObject({ code: "bad_request", message: expect.stringContaining("body.password") as string });
    expect(await snapshot(server.db)).toEqual(before);
  });

  it("Caller is on only when the plan includes it and the user is an admin or enabled", async () => {
    const now = server.clock.now;
    const passwordHash = await hashPassword("pw-123");
    const pro = await createCompany(server.db, { name: "Pro", plan: "professional", isTrial: true, country: "JP", currency: "USD", timeZone: "UTC" }, now);
    const basic = await createCompany(server.db, { name: "Basic", plan: "essential", isTrial: false, country: "JP", currency: "USD", timeZone: "UTC" }, now);
    const cases: [number, string, "admin" | "regular", boolean, boolean][] = [
      [pro.id, "off@pro.example", "regular", false, false],
      [pro.id, "on@pro.example", "regular", true, true],
      [pro.id, "boss@pro.example", "admin", false, true],
      [basic.id, "boss@basic.example", "admin", true, false],
    ];
    for (const [companyId, email, role, callerEnabled, expected] of cases) {
      await createUser(server.db, { companyId, email, name: email, role, callerEnabled, locale: null, passwordHash }, now);
      const reply = await signIn({ email, password: "pw-123" });
      expect(reply.json<SignInReply>().callerEnabled, email).toBe(expected);
    }
  });

  it("signing out ends that session only", async () => {
    const first = await server.signIn(demoCredentials.sales);
    const second = await server.signIn(demoCredentials.sales);
    const out = await server.app.inject({ method: "POST", url: "/api/auth/sign-out", headers: bearer(first) });
    expect(out.statusCode).toBe(204);
    expect((await server.app.inject({ method: "GET", url: "/api/me", headers: bearer(first) })).statusCode).toBe(401);
    expect((await server.app.inject({ method: "GET", url: "/api/me", headers: bearer(second) })).statusCode).toBe(200);
  });
});
