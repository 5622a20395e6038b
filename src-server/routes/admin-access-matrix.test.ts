import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutcomesReply } from "../../src-shared/server-api/company-admin";
import { routeAccessOf } from "../http/access";
import { bearer, demoCredentials, startTestServer, type TestServer } from "../test-support/test-server";

/** Plausible bodies, so a refusal is the access rule's and not the schema's; routes not listed get `{}`. */
const bodies: Record<string, (ids: { outcomes: number[] }) => object> = {
  "PATCH /api/admin/company": () => ({ name: "Taken over" }),
  "POST /api/admin/users/:id/caller": () => ({ enabled: false }),
  "POST /api/admin/invitations": () => ({ email: "intruder-guest@example.org" }),
  "POST /api/admin/outcomes": () => ({ name: "Planted" }),
  "PATCH /api/admin/outcomes/:id": () => ({ name: "Renamed by intruder", enabled: false }),
  "PUT /api/admin/outcome-order": ({ outcomes }) => ({ ids: [...outcomes].reverse() }),
  "PUT /api/admin/outcome-settings": () => ({ required: true }),
  "PATCH /api/admin/recording-settings": () => ({ enabled: true, enforced: true }),
};

/** Every row that belongs to the company, in every table that has a company_id, plus its own row. */
async function companyRows(db: Knex, companyId: number): Promise<Record<string, unknown[]>> {
  const tables = (await db("sqlite_master").where({ type: "table" }).pluck("name")) as string[];
  const rows: Record<string, unknown[]> = { companies: await db("companies").where({ id: companyId }) };
  for (const table of tables) {
    const columns = await db.raw<{ name: string }[]>(`pragma table_info("${table}")`);
    if (columns.some((c) => c.name === "company_id")) rows[table] = await db(table).where({ company_id: companyId }).orderBy(columns[0]!.name);
  }
  return rows;
}

describe("every admin route", () => {
  let server: TestServer;
  let tokens: { admin: string; sales: string; other: string };
  let demo: { companyId: number; salesId: number; outcomes: number[] };

  beforeAll(async () => {
    server = await startTestServer();
    const [admin, sales, other] = await Promise.all([
      server.sessionFor(demoCredentials.admin),
      server.sessionFor(demoCredentials.sales),
      server.sessionFor(demoCredentials.otherAdmin),
    ]);
    tokens = { admin, sales, other };
    const salesRow = await server.db("users").where({ email: demoCredentials.sales.email }).first<{ id: number; company_id: number }>();
    const outcomes = (await server.app.inject({ method: "GET", url: "/api/admin/outcomes", headers: bearer(admin) })).json<OutcomesReply>();
    demo = { companyId: salesRow.company_id, salesId: salesRow.id, outcomes: outcomes.outcomes.map((o) => o.id) };
    // An open invitation too, so its routes have something of this company's to aim at.
    await server.app.inject({ method: "POST", url: "/api/admin/invitations", headers: bearer(admin), payload: { email: "pending@demo.example" } });
  });
  afterAll(async () => {
    await server.close();
  });

  const adminRoutes = () => routeAccessOf(server.app).filter((r) => r.access === "admin" && r.method !== "HEAD");

  const request = (route: { method: string; url: string }, token: string) => {
    const pendingId = async () => (await server.db("users").where({ email: "pending@demo.example" }).first<{ id: number }>()).id;
    return (async () => {
      const id = route.url.includes("outcome") ? demo.outcomes[0]! : route.url.includes("invitation") ? await pendingId() : demo.salesId;
      const url = route.url.replace(/:[A-Za-z]+/g, String(id));
      const body = bodies[`${route.method} ${route.url}`]?.(demo);
      const method = route.method as "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
      return server.app.inject({ method, url, headers: bearer(token), ...(method === "GET" ? {} : { payload: body ?? {} }) });
    })();
  };

  it("covers this issue's routes and the ones already there", () => {
    const urls = new Set(adminRoutes().map((r) => `${r.method} ${r.url}`));
    for (const known of Object.keys(bodies).filter((k) => !k.includes("recording"))) expect(urls).toContain(known);
    expect(urls.size).toBeGreaterThanOrEqual(12);
  });

  it("refuses a regular user with 403 and writes nothing", async () => {
    const before = await companyRows(server.db, demo.companyId);
    for (const route of adminRoutes()) {
      const reply = await request(route, tokens.sales);
      expect(reply.statusCode, `${route.method} ${route.url}`).toBe(403);
    }
    expect(await companyRows(server.db, demo.companyId)).toEqual(before);
  });

  it("another company's admin neither reads nor changes this company's data", async () => {
    const before = await companyRows(server.db, demo.companyId);
    for (const route of adminRoutes()) {
      const reply = await request(route, tokens.other);
      const what = `${route.method} ${route.url}: ${reply.statusCode} ${reply.body}`;
      if (route.url.includes(":")) expect([400, 403, 404], what).toContain(reply.statusCode);
      expect(reply.body, what).not.toMatch(/@demo\.example|Demo K\.K\.|Sora Sales|Aiko Admin/);
      expect(await companyRows(server.db, demo.companyId), what).toEqual(before);
    }
  });
});
