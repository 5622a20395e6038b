import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Change, ChangesReply } from "../../src-shared/server-api/changes";
import { appendChange } from "../db/changes-repo";
import { findUserByEmail } from "../db/users-repo";
import { bearer, demoCredentials, startTestServer, type TestServer } from "../test-support/test-server";

describe("the change feed", () => {
  let server: TestServer;
  let admin: string;
  let sales: string;
  let other: string;
  beforeEach(async () => {
    server = await startTestServer();
    [admin, sales, other] = await Promise.all([
      server.sessionFor(demoCredentials.admin),
      server.sessionFor(demoCredentials.sales),
      server.sessionFor(demoCredentials.otherAdmin),
    ]);
  });
  afterEach(async () => {
    await server.close();
  });

  const feed = async (token: string, query = ""): Promise<ChangesReply> => {
    const reply = await server.app.inject({ method: "GET", url: `/api/changes${query}`, headers: bearer(token) });
    expect(reply.statusCode, reply.body).toBe(200);
    return reply.json<ChangesReply>();
  };
  const rename = async (name: string): Promise<void> => {
    const reply = await server.app.inject({ method: "PATCH", url: "/api/admin/company", headers: bearer(admin), payload: { name } });
    expect(reply.statusCode).toBe(200);
  };

  it("is monotonic and pages through with since and limit until hasMore is false", async () => {
    for (let i = 1; i <= 5; i += 1) await rename(`Demo ${i}`);
    const all = await feed(sales, "?limit=5000");
    const seqs = all.changes.map((c) => c.seq);
    expect(seqs.length).toBe(6);
    expect(seqs.every((seq, i) => i === 0 || seq > seqs[i - 1]!)).toBe(true);

    const paged: Change[] = [];
    let since = 0;
    for (let page = 0; page < 10; page += 1) {
      const reply = await feed(sales, `?since=${since}&limit=2`);
      paged.push(...reply.changes);
      expect(reply.next).toBe(reply.changes.at(-1)?.seq ?? since);
      since = reply.next;
      if (!reply.hasMore) break;
    }
    expect(paged).toEqual(all.changes);
    expect(paged.map((c) => (c.data as { name: string }).name)).toEqual(["Demo K.K.", "Demo 1", "Demo 2", "Demo 3", "Demo 4", "Demo 5"]);
    expect(await feed(sales, `?since=${since}`)).toEqual({ changes: [], next: since, hasMore: false });
  });

  it("with waitMs, holds an empty read until the company's next change; another company's change does not answer it", async () => {
    const { next } = await feed(sales);
    const started = Date.now();
    const waiting = feed(sales, `?since=${next}&waitMs=10000`);
    const othersRename = await server.app.inject({ method: "PATCH", url: "/api/admin/company", headers: bearer(other), payload: { name: "Other Renamed" } });
    expect(othersRename.statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await rename("Demo While Waiting");
    const reply = await waiting;
    expect(reply.changes.map((c) => (c.data as { name: string }).name)).toEqual(["Demo While Waiting"]);
    // SQLite has no NOTIFY: the held read looks again every second.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("with waitMs and no change, answers empty at the deadline; a wait beyond 25 s is refused", async () => {
    const { next } = await feed(sales);
    const started = Date.now();
    expect(await feed(sales, `?since=${next}&waitMs=1500`)).toEqual({ changes: [], next, hasMore: false });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    const tooLong = await server.app.inject({ method: "GET", url: `/api/changes?since=${next}&waitMs=60000`, headers: bearer(sales) });
    expect(tooLong.statusCode).toBe(400);
  });

  it("shows a PATCH to everyone in the company and to no one outside it", async () => {
    const otherBefore = await feed(other);
    const { next } = await feed(sales);
    await rename("Demo Renamed");
    const after = await feed(sales, `?since=${next}`);
    expect(after.changes).toHaveLength(1);
    expect(after.changes[0]).toMatchObject({ entity: "company", op: "upsert", data: { name: "Demo Renamed" } });
    expect(await feed(other)).toEqual(otherBefore);
  });

  it("shows a change addressed to one user to that user only", async () => {
    const salesUser = (await findUserByEmail(server.db, demoCredentials.sales.email))!;
    await server.db.transaction((trx) =>
      appendChange(trx, { companyId: salesUser.companyId, audienceUserId: salesUser.id, entity: "note", entityId: "n1", op: "upsert", data: { text: "hi" }, at: 1 }),
    );
    expect((await feed(sales)).changes.map((c) => c.entity)).toContain("note");
    expect((await feed(admin)).changes.map((c) => c.entity)).not.toContain("note");
  });

  it.each([["?since=-1", "querystring.since"], ["?limit=0", "querystring.limit"], ["?limit=5001", "querystring.limit"], ["?since=abc", "querystring.since"]])(
    "refuses %s with a 400 naming %s",
    async (query, field) => {
      const reply = await server.app.inject({ method: "GET", url: `/api/changes${query}`, headers: bearer(sales) });
      expect(reply.statusCode).toBe(400);
      expect(reply.json()).toEqual({ code: "bad_request", message: expect.stringContaining(field) as string, reason: "invalid_field", params: expect.objectContaining({ field: field.split(".")[1] }) as object });
    },
  );
});
