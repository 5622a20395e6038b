import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Change, ChangesReply } from "../../src-shared/server-api/changes";
import { buildServer } from "../build-server";
import { openDatabase } from "../db/open-database";
import { PgLink } from "../db/pg-link";
import type { App } from "../http/app";
import { demoCredentials, seedDemo } from "../seed/demo";
import { startPostgres, type PostgresCluster } from "../test-support/postgres";
import { openMigrated, type TestDb } from "../test-support/test-db";
import { ChangeWaits } from "./change-waits";

/** One server process's worth: its own pool, its own link, listening on a port. */
interface Instance {
  url: string;
  close(): Promise<void>;
}

// The same re-read interval with and without NOTIFY, so the difference is the notice alone.
const pollMs = 3_000;
const quiet = { info: () => {}, warn: () => {} };

let cluster: PostgresCluster;
let url: string;
let handle: TestDb;
const instances: Instance[] = [];

async function startInstance(notices: boolean): Promise<Instance> {
  const db: Knex = await openDatabase({ kind: "postgres", url });
  const link = notices ? new PgLink({ url, log: quiet }) : null;
  await link?.start();
  const app: App = buildServer({ db, changeWaits: new ChangeWaits({ link, pollMs, listeningPollMs: pollMs }) });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const instance = {
    url: `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`,
    async close() {
      await app.close();
      await link?.close();
      await db.destroy();
    },
  };
  instances.push(instance);
  return instance;
}

beforeAll(async () => {
  cluster = await startPostgres();
  url = await cluster.createDatabase();
  handle = await openMigrated({ kind: "postgres", url });
  await seedDemo(handle.db);
});

afterAll(async () => {
  for (const instance of instances) await instance.close();
  await handle?.close();
  await cluster?.stop();
});

async function call<T>(base: string, method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; json: T }> {
  const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const reply = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await reply.text();
  return { status: reply.status, json: (text === "" ? null : JSON.parse(text)) as T };
}

async function signIn(base: string): Promise<string> {
  const reply = await call<{ token: string }>(base, "POST", "/api/auth/sign-in", null, demoCredentials.sales);
  expect(reply.status).toBe(200);
  return reply.json.token;
}

/** Every change after `since`, paged, as a desktop's full sync reads them. */
async function readAll(base: string, token: string, since: number): Promise<Change[]> {
  const all: Change[] = [];
  for (let next = since; ; ) {
    const { json } = await call<ChangesReply>(base, "GET", `/api/changes?since=${next}&limit=1000`, token);
    all.push(...json.changes);
    next = json.next;
    if (!json.hasMore) return all;
  }
}

const lastSeq = async (base: string, token: string): Promise<number> => (await readAll(base, token, 0)).at(-1)?.seq ?? 0;
const addPerson = (base: string, token: string, name: string) => call<{ id: string }>(base, "POST", "/api/crm/people", token, { name });

/** How long after a write through `writer` a long poll already waiting on `reader` answers with it. */
async function heardAfter(reader: Instance, writer: Instance, token: string, name: string): Promise<number> {
  const since = await lastSeq(reader.url, token);
  const waiting = call<ChangesReply>(reader.url, "GET", `/api/changes?since=${since}&waitMs=20000`, token);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const writtenAt = performance.now();
  expect((await addPerson(writer.url, token, name)).status).toBe(200);
  const { json } = await waiting;
  const heardAt = performance.now();
  expect(json.changes.map((c) => [c.entity, (c.data as { name: string }).name])).toEqual([["person", name]]);
  return heardAt - writtenAt;
}

describe("two servers on one PostgreSQL", () => {
  let a: Instance;
  let b: Instance;
  let token: string;
  beforeAll(async () => {
    [a, b] = await Promise.all([startInstance(true), startInstance(true)]);
    token = await signIn(a.url);
  });

  it("a session made through one server is good on the other, and signing out through either ends it on both", async () => {
    const other = await signIn(b.url);
    expect((await call(b.url, "GET", "/api/me", token)).status).toBe(200);
    expect((await call(a.url, "GET", "/api/me", other)).status).toBe(200);
    expect((await call(b.url, "POST", "/api/auth/sign-out", other, {})).status).toBeLessThan(300);
    expect((await call(a.url, "GET", "/api/me", other)).status).toBe(401);
    expect((await call(b.url, "GET", "/api/me", other)).status).toBe(401);
  });

  it("a desktop waiting on one server hears a write made through the other within a second", async () => {
    const ms = await heardAfter(a, b, token, "Heard Through B");
    console.log(`change feed: written through B, heard on A after ${ms.toFixed(0)} ms (NOTIFY)`);
    expect(ms).toBeLessThan(1_000);
  });

  it("without NOTIFY the same wait lasts until the next re-read", async () => {
    const deaf = await startInstance(false);
    const ms = await heardAfter(deaf, b, token, "Heard On The Next Poll");
    console.log(`change feed: written through B, heard on a server without NOTIFY after ${ms.toFixed(0)} ms (re-read every ${pollMs} ms)`);
    expect(ms).toBeGreaterThan(1_000);
  });

  it("200 writes at once through both servers reach a desktop following the feed on one of them in seq order, none skipped", async () => {
    const since = await lastSeq(a.url, token);
    const names = Array.from({ length: 200 }, (_, i) => `Burst ${String(i).padStart(3, "0")}`);
    const heard: Change[] = [];
    let writing = true;
    const follow = (async () => {
      // Until the writes are done and a read finds nothing new: caught up.
      for (let next = since, caughtUp = false; !caughtUp; ) {
        const done = !writing;
        const { json } = await call<ChangesReply>(a.url, "GET", `/api/changes?since=${next}&limit=50&waitMs=${done ? 0 : 2000}`, token);
        heard.push(...json.changes);
        next = json.next;
        caughtUp = done && json.changes.length === 0;
      }
    })();
    const replies = await Promise.all(names.map((name, i) => addPerson(i % 2 === 0 ? a.url : b.url, token, name)));
    writing = false;
    expect(replies.every((r) => r.status === 200)).toBe(true);
    await follow;
    const seqs = heard.map((c) => c.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
    // What the follower heard is exactly the feed as read afterwards: no seq it went past appeared later.
    expect(seqs).toEqual((await readAll(b.url, token, since)).map((c) => c.seq));
    expect(heard.map((c) => (c.data as { name: string }).name).sort()).toEqual(names);
  });
});
