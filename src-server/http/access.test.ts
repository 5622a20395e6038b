import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../build-server";
import { sessionTtlMs } from "../auth/session-token";
import { operatorSessionTtlMs } from "../operator/operator-accounts";
import { bearer, demoCredentials, startTestServer, type TestServer } from "../test-support/test-server";
import { snapshot } from "../test-support/test-db";
import { routeAccessOf, type RouteAccess } from "./access";

/** The whole API surface and who may use it; a new route must be added here on purpose. */
const expectedRoutes: [string, string, string][] = [
  ["GET", "/api/health", "public"],
  ["POST", "/api/auth/sign-in", "public"],
  ["POST", "/api/auth/sign-out", "user"],
  ["GET", "/api/me", "user"],
  ["GET", "/api/company", "user"],
  ["GET", "/api/changes", "user"],
  ["GET", "/api/admin/users", "admin"],
  ["PATCH", "/api/admin/company", "admin"],
  ["POST", "/api/admin/users/:id/caller", "admin"],
  ["GET", "/api/admin/company/users", "admin"],
  ["POST", "/api/admin/invitations", "admin"],
  ["POST", "/api/admin/users/:id/invitation", "admin"],
  ["DELETE", "/api/admin/users/:id/invitation", "admin"],
  ["GET", "/api/outcomes", "user"],
  ["GET", "/api/admin/outcomes", "admin"],
  ["POST", "/api/admin/outcomes", "admin"],
  ["PATCH", "/api/admin/outcomes/:id", "admin"],
  ["DELETE", "/api/admin/outcomes/:id", "admin"],
  ["PUT", "/api/admin/outcome-order", "admin"],
  ["PUT", "/api/admin/outcome-settings", "admin"],
  ["POST", "/api/calls/:id/outcome", "user"],
  ["GET", "/api/sip/config", "user"],
  ["POST", "/api/calls/quality", "user"],
  ["GET", "/api/credits", "admin"],
  ["POST", "/api/credits/purchases", "admin"],
  ["GET", "/api/credits/purchases", "admin"],
  ["GET", "/api/credits/purchases/:id/invoice.pdf", "admin"],
  ["GET", "/api/credits/billing-details", "admin"],
  ["PUT", "/api/credits/billing-details", "admin"],
  ["GET", "/api/credits/ledger", "admin"],
  ["GET", "/api/credits/ledger.csv", "admin"],
  ["GET", "/api/credits/usage", "admin"],
  ["PUT", "/api/credits/low-balance", "admin"],
  ["GET", "/api/credits/quote", "user"],
  ["GET", "/api/credits/rates", "admin"],
  ["GET", "/api/credits/rates.csv", "admin"],
  ["GET", "/api/me/number", "user"],
  ["GET", "/api/me/phone", "user"],
  ["DELETE", "/api/me/number", "user"],
  ["GET", "/api/admin/recording-settings", "admin"],
  ["PATCH", "/api/admin/recording-settings", "admin"],
  ["GET", "/api/recording-settings", "user"],
  ["GET", "/api/recordings", "user"],
  ["GET", "/api/recordings/:id", "user"],
  ["GET", "/api/recordings/:id/audio", "user"],
  ["GET", "/api/recordings/:id/download", "user"],
  ["POST", "/api/calls/:clientCallId/recording/pause", "user"],
  ["POST", "/api/calls/:clientCallId/recording/resume", "user"],
  ["POST", "/api/recordings/uploads", "user"],
  ["PUT", "/api/recordings/uploads/:id", "user"],
  ["POST", "/api/recordings/uploads/:id/complete", "user"],
  ["GET", "/api/voicemail/greetings", "user"],
  ["POST", "/api/voicemail/greetings", "user"],
  ["PATCH", "/api/voicemail/greetings/:id", "user"],
  ["DELETE", "/api/voicemail/greetings/:id", "user"],
  ["GET", "/api/voicemail/greetings/:id/audio", "user"],
  ["POST", "/api/calls/:clientCallId/voicemail-drop", "user"],
  ["GET", "/api/admin/coaching/live-calls", "admin"],
  ["POST", "/api/admin/coaching/sessions", "admin"],
  ["GET", "/api/admin/coaching/log", "admin"],
  ["GET", "/api/admin/coaching/policy", "admin"],
  ["PUT", "/api/admin/coaching/policy", "admin"],
  ["GET", "/api/calls/:clientCallId/coaching", "user"],
  ["GET", "/api/calls/:callId/coaching-log", "user"],
  ["GET", "/api/crm/people", "user"],
  ["GET", "/api/crm/people/:id", "user"],
  ["POST", "/api/crm/people", "user"],
  ["PATCH", "/api/crm/people/:id", "user"],
  ["POST", "/api/crm/people/:id/edits", "user"],
  ["GET", "/api/crm/people/:id/history", "user"],
  ["GET", "/api/crm/calls/:id", "user"],
  ["POST", "/api/crm/calls/:id/edits", "user"],
  ["GET", "/api/crm/calls/:id/history", "user"],
  ["GET", "/api/crm/organizations", "user"],
  ["GET", "/api/crm/organizations/:id", "user"],
  ["POST", "/api/crm/organizations", "user"],
  ["PATCH", "/api/crm/organizations/:id", "user"],
  ["GET", "/api/crm/deals", "user"],
  ["GET", "/api/crm/deals/:id", "user"],
  ["POST", "/api/crm/deals", "user"],
  ["PATCH", "/api/crm/deals/:id", "user"],
  ["POST", "/api/crm/import", "user"],
  ["POST", "/api/calls/link", "user"],
  // The service operator's: no company session reaches them.
  ["GET", "/api/operator/me", "operator"],
  ["POST", "/api/operator/sign-out", "operator"],
  ["GET", "/api/operator/companies", "operator"],
  ["PUT", "/api/operator/companies/:id/invoice-limit", "operator"],
  ["GET", "/api/operator/purchase-requests", "operator"],
  ["POST", "/api/operator/purchase-requests/:id/approve", "operator"],
  ["POST", "/api/operator/purchase-requests/:id/decline", "operator"],
  ["GET", "/api/operator/tariff/versions", "operator"],
  ["GET", "/api/operator/tariff/rates", "operator"],
  ["GET", "/api/operator/tariff/rates.csv", "operator"],
  ["POST", "/api/operator/tariff/preview", "operator"],
  ["POST", "/api/operator/tariff/import", "operator"],
  ["POST", "/api/operator/tariff/versions/:id/restore", "operator"],
  ["GET", "/api/operator/blocks", "operator"],
  ["POST", "/api/operator/blocks", "operator"],
  ["DELETE", "/api/operator/blocks/:id", "operator"],
  ["GET", "/api/operator/sip-bans", "operator"],
  ["POST", "/api/operator/sip-bans/:id/lift", "operator"],
  // The invitation page: no session yet, the single-use token is the credential.
  ["GET", "/invite/:token", "public"],
  ["POST", "/invite/:token", "public"],
  // The power dialer: a precheck any user may ask; calling hours read by users, set by admins.
  ["POST", "/api/calls/precheck", "user"],
  ["GET", "/api/company/calling-hours", "user"],
  ["PUT", "/api/company/calling-hours", "admin"],
  // Transfer of the user's own call (the server checks the call is theirs).
  ["POST", "/api/calls/:clientCallId/transfer", "user"],
  ["GET", "/api/transfer-targets", "user"],
  ["GET", "/api/calls/:callId/transfers", "user"],
  // Incoming calls: the company's numbers and ring groups (admins), each user's availability.
  ["GET", "/api/admin/inbound/numbers", "admin"],
  ["POST", "/api/admin/inbound/numbers", "admin"],
  ["PUT", "/api/admin/inbound/numbers/:id", "admin"],
  ["DELETE", "/api/admin/inbound/numbers/:id", "admin"],
  ["GET", "/api/admin/inbound/groups", "admin"],
  ["POST", "/api/admin/inbound/groups", "admin"],
  ["PUT", "/api/admin/inbound/groups/:id", "admin"],
  ["DELETE", "/api/admin/inbound/groups/:id", "admin"],
  ["GET", "/api/inbound/availability", "user"],
  ["PUT", "/api/inbound/availability", "user"],
  // Each user's own "Email me my voicemails".
  ["GET", "/api/me/voicemail-email", "user"],
  ["PUT", "/api/me/voicemail-email", "user"],
  // Asterisk's: no session, but loopback and the shared secret (pbx-guard.ts).
  ["GET", "/pbx/authorize", "public"],
  ["GET", "/pbx/authorize/hold", "public"],
  ["GET", "/pbx/authorize/coach", "public"],
  ["GET", "/pbx/authorize/inbound", "public"],
  ["GET", "/pbx/authorize/consult", "public"],
  ["GET", "/pbx/authorize/transfer-leg", "public"],
  ["POST", "/pbx/realtime/:family/:op", "public"],
];

const pbx = { secret: "s".repeat(32), wsUrl: "ws://127.0.0.1:8088/ws", sipDomain: "127.0.0.1", iceServers: [], ami: null, cdrStore: null };

const concrete = (url: string): string => url.replace(/:[^/]+/g, "1");

/** What operator routes could write, beyond the company rows `snapshot` covers. */
const operatorTables = async (server: TestServer): Promise<unknown[]> =>
  Promise.all(["tariff_versions", "destination_rules", "credit_settings", "credit_purchase_requests", "credit_purchases", "operator_actions", "ledger_entries"].map((table) => server.db(table).orderBy(1)));

describe("access control", () => {
  let server: TestServer;
  let routes: readonly RouteAccess[];
  beforeAll(async () => {
    server = await startTestServer({ pbx });
    routes = routeAccessOf(server.app);
  });
  afterAll(async () => {
    await server.close();
  });

  const guarded = (): RouteAccess[] => routes.filter((r) => r.access !== "public");

  it("every registered route declares its access, and the list is the expected API", () => {
    const declared = routes.filter((r) => r.method !== "HEAD").map((r) => [r.method, r.url, r.access]);
    expect(declared).toEqual(expect.arrayContaining(expectedRoutes));
    expect(declared).toHaveLength(expectedRoutes.length);
    for (const head of routes.filter((r) => r.method === "HEAD")) {
      expect(routes).toContainEqual({ method: "GET", url: head.url, access: head.access });
    }
  });

  it("refuses to register a route without a valid access declaration", async () => {
    const app = buildServer({ db: server.db });
    expect(() => app.get("/api/forgotten", () => "open")).toThrow(/must declare config\.access/);
    expect(() => app.get("/api/typo", { config: { access: "everyone" as "public" } }, () => "open")).toThrow(/must declare config\.access/);
    await app.close();
  });

  it("answers 401 on every user and admin route without a token, with a forged or malformed one", async () => {
    expect(guarded().length).toBeGreaterThanOrEqual(5);
    const forged = "A".repeat(43);
    for (const route of guarded()) {
      for (const headers of [{}, bearer(forged), { authorization: `Basic ${forged}` }, { authorization: "Bearer " }]) {
        const reply = await server.app.inject({ method: route.method as "GET", url: concrete(route.url), headers });
        expect(reply.statusCode, `${route.method} ${route.url} with ${JSON.stringify(headers)}`).toBe(401);
        if (route.method !== "HEAD") expect(reply.json()).toMatchObject({ code: "unauthenticated" });
      }
    }
  });

  it("answers 401 once a session has expired or been signed out", async () => {
    const token = await server.signIn(demoCredentials.sales);
    const start = server.clock.now;
    try {
      server.clock.now = start + sessionTtlMs - 1;
      expect((await server.app.inject({ method: "GET", url: "/api/me", headers: bearer(token) })).statusCode).toBe(200);
      server.clock.now = start + sessionTtlMs;
      for (const route of guarded()) {
        const reply = await server.app.inject({ method: route.method as "GET", url: concrete(route.url), headers: bearer(token) });
        expect(reply.statusCode, `${route.method} ${route.url}`).toBe(401);
      }
    } finally {
      server.clock.now = start;
    }
    const other = await server.sessionFor(demoCredentials.sales);
    expect((await server.app.inject({ method: "POST", url: "/api/auth/sign-out", headers: bearer(other) })).statusCode).toBe(204);
    expect((await server.app.inject({ method: "GET", url: "/api/me", headers: bearer(other) })).statusCode).toBe(401);
  });

  it("answers 403 to a regular user on every admin route, whatever the body, and writes nothing", async () => {
    const token = await server.sessionFor(demoCredentials.sales);
    const before = await snapshot(server.db);
    const admin = routes.filter((r) => r.access === "admin");
    expect(admin.length).toBeGreaterThanOrEqual(2);
    for (const route of admin) {
      for (const payload of [{ name: "Taken over" }, { country: "not a country" }, undefined]) {
        const reply = await server.app.inject({ method: route.method as "GET", url: concrete(route.url), headers: bearer(token), ...(payload && { payload }) });
        expect(reply.statusCode, `${route.method} ${route.url}`).toBe(403);
        if (route.method !== "HEAD") expect(reply.json()).toMatchObject({ code: "forbidden" });
      }
    }
    expect(await snapshot(server.db)).toEqual(before);
  });

  it("answers 403 to every company session (admin or regular) on every operator route, whatever the body, and writes nothing", async () => {
    const operatorRoutes = routes.filter((r) => r.access === "operator");
    expect(operatorRoutes.length).toBeGreaterThanOrEqual(16);
    expect(operatorRoutes.every((r) => r.url.startsWith("/api/operator/"))).toBe(true);
    const tokens = [await server.sessionFor(demoCredentials.admin), await server.sessionFor(demoCredentials.sales)];
    const before = await snapshot(server.db);
    const operatorRows = await operatorTables(server);
    for (const token of tokens) {
      for (const route of operatorRoutes) {
        for (const payload of [{ limitMicros: 0 }, { fileName: "x.csv", csv: "prefix\n", acceptValidRows: true }, { prefix: "+1", companyId: null, action: "block" }, undefined]) {
          const reply = await server.app.inject({ method: route.method as "GET", url: concrete(route.url), headers: bearer(token), ...(payload && { payload }) });
          expect(reply.statusCode, `${route.method} ${route.url}`).toBe(403);
          if (route.method !== "HEAD") expect(reply.json()).toMatchObject({ code: "forbidden" });
        }
      }
    }
    expect(await snapshot(server.db)).toEqual(before);
    expect(await operatorTables(server)).toEqual(operatorRows);
  });

  it("answers 403 to an operator session on every company route (user and admin), and writes nothing", async () => {
    const token = await server.signIn(demoCredentials.operator);
    const before = await snapshot(server.db);
    const companyRoutes = routes.filter((r) => r.access === "user" || r.access === "admin");
    expect(companyRoutes.length).toBeGreaterThanOrEqual(50);
    for (const route of companyRoutes) {
      for (const payload of [{ name: "Taken over" }, { amountMicros: 5_000_000, idempotencyKey: "operator-click" }, undefined]) {
        const reply = await server.app.inject({ method: route.method as "GET", url: concrete(route.url), headers: bearer(token), ...(payload && { payload }) });
        expect(reply.statusCode, `${route.method} ${route.url}`).toBe(403);
        if (route.method !== "HEAD") expect(reply.json()).toMatchObject({ code: "forbidden" });
      }
    }
    expect(await snapshot(server.db)).toEqual(before);
    // The same token does work where it belongs.
    expect((await server.app.inject({ method: "GET", url: "/api/operator/me", headers: bearer(token) })).json()).toMatchObject({ email: demoCredentials.operator.email });
  });

  it("answers 401 on every operator route once the operator's session has expired or been signed out", async () => {
    const token = await server.signIn(demoCredentials.operator);
    const start = server.clock.now;
    const operatorRoutes = routes.filter((r) => r.access === "operator");
    try {
      server.clock.now = start + operatorSessionTtlMs;
      for (const route of operatorRoutes) {
        const reply = await server.app.inject({ method: route.method as "GET", url: concrete(route.url), headers: bearer(token) });
        expect(reply.statusCode, `${route.method} ${route.url}`).toBe(401);
      }
    } finally {
      server.clock.now = start;
    }
    expect((await server.app.inject({ method: "POST", url: "/api/operator/sign-out", headers: bearer(token) })).statusCode).toBe(204);
    expect((await server.app.inject({ method: "GET", url: "/api/operator/me", headers: bearer(token) })).statusCode).toBe(401);
  });

  it("lets no one reach the PBX routes without the shared secret, nor from another address with it", async () => {
    const pbxRoutes = routes.filter((r) => r.url.startsWith("/pbx/") && r.method !== "HEAD");
    expect(pbxRoutes).toHaveLength(7);
    for (const route of pbxRoutes) {
      const url = concrete(route.url.replace(":family", "ps_endpoints").replace(":op", "single"));
      const method = route.method as "GET" | "POST";
      for (const secret of [undefined, "wrong", pbx.secret.slice(1), `${pbx.secret} `]) {
        const headers = secret === undefined ? {} : { "x-caller-pbx-secret": secret };
        const reply = await server.app.inject({ method, url, headers });
        expect(reply.statusCode, `${route.method} ${route.url} with ${JSON.stringify(secret)}`).toBe(401);
      }
      const remote = await server.app.inject({ method, url, headers: { "x-caller-pbx-secret": pbx.secret }, remoteAddress: "192.0.2.7" });
      expect(remote.statusCode).toBe(403);
    }
  });

  it("lets anyone reach the public health check", async () => {
    const reply = await server.app.inject({ method: "GET", url: "/api/health" });
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toEqual({ status: "ok", time: server.clock.now });
  });
});
