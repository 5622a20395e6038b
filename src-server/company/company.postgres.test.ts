import { afterAll, beforeAll, expect, it } from "vitest";
import type { InviteReply, LoggedOutcome, Outcome, OutcomesReply } from "../../src-shared/server-api/company-admin";
import { openDatabase } from "../db/open-database";
import { startPostgres, type PostgresCluster } from "../test-support/postgres";
import { openMigrated } from "../test-support/test-db";
import { bearer, demoCredentials, startTestServer, type TestServer } from "../test-support/test-server";

// The same routes on PostgreSQL: partial unique index, ON CONFLICT seeding, bigint columns.
let cluster: PostgresCluster | undefined;
let server: TestServer | undefined;

beforeAll(async () => {
  cluster = await startPostgres();
  const url = await cluster.createDatabase();
  await (await openMigrated({ kind: "postgres", url })).close();
  server = await startTestServer({ db: await openDatabase({ kind: "postgres", url }) });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await server?.db.destroy();
  await cluster?.stop();
});

it("invites, manages outcomes and logs one on a call on PostgreSQL", async () => {
  const s = server!;
  const admin = await s.sessionFor(demoCredentials.admin);
  const sales = await s.sessionFor(demoCredentials.sales);
  const send = (method: "GET" | "POST" | "PATCH", url: string, token: string, payload?: object) =>
    s.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload }) });

  const invited = (await send("POST", "/api/admin/invitations", admin, { email: "pg@demo.example" })).json<InviteReply>();
  expect(invited).toMatchObject({ emailed: false, user: { status: "not_connected" } });
  const page = await s.app.inject({ method: "POST", url: new URL(invited.link!).pathname, payload: "name=Pia&password=pg-password", headers: { "content-type": "application/x-www-form-urlencoded" } });
  expect(page.statusCode).toBe(200);

  const defaults = (await send("GET", "/api/admin/outcomes", admin)).json<OutcomesReply>();
  expect(defaults.outcomes).toHaveLength(5);
  const created = (await send("POST", "/api/admin/outcomes", admin, { name: "Demo booked" })).json<Outcome>();
  expect((await send("POST", "/api/admin/outcomes", admin, { name: "DEMO BOOKED" })).statusCode).toBe(409);

  const user = await s.db("users").where({ email: demoCredentials.sales.email }).first<{ id: number; company_id: number }>();
  const [call] = await s.db("calls")
    .insert({ company_id: user.company_id, user_id: user.id, pbx_uniqueid: "pg.1", number: "+81312345678", direction: "outbound", status: "ended", started_at: 1, billed_seconds: 0, disposition: "answered", updated_at: 1 })
    .returning<{ id: number }[]>("id");
  const logged = await send("POST", `/api/calls/${call!.id}/outcome`, sales, { outcomeId: created.id, notes: "pg", idempotencyKey: "pg-key-0001" });
  expect(logged.statusCode, logged.body).toBe(200);
  expect(logged.json<LoggedOutcome>()).toMatchObject({ outcome: "Demo booked", notes: "pg" });
});
