import { resolve } from "node:path";
import Database from "better-sqlite3";
import { build } from "esbuild";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { inProcessWriter, type DurableWriter } from "../db/writer/durable-writer";
import { startWorkerWriter } from "../db/writer/worker-writer";
import { openSqliteTestDb, type TestDb } from "../test-support/test-db";
import { startTestServer, type TestServer } from "../test-support/test-server";
import { withCreditEffects } from "./credits-writer";
import { authorize, cdrOf, companyWithCredit, recordedCall, testPbx } from "./testing/credit-rig";

// Bundled as the build does, beside node_modules so its packages resolve (as worker-writer.test.ts).
const script = resolve("node_modules/.cache/caller-tests/writer-worker-holds.mjs");
const quiet = { warn: () => {}, error: () => {} };
const to = "+819012345678";

let test: TestDb & { file: string };
let server: TestServer | undefined;
let worker: DurableWriter | undefined;

beforeAll(async () => {
  await build({ entryPoints: ["src-server/db/writer/writer-worker.ts"], bundle: true, platform: "node", format: "esm", packages: "external", outfile: script, logLevel: "error" });
}, 60_000);

afterEach(async () => {
  await server?.close();
  await worker?.close();
  await test.close();
  server = undefined;
  worker = undefined;
});

/** A server as shipped on SQLite: records and holds committed on the writer's thread. */
async function shippedServer(): Promise<TestServer> {
  test = await openSqliteTestDb();
  const started = await startWorkerWriter({ file: test.file, script, log: quiet });
  worker = started;
  return startTestServer({ db: test.db, writerFor: (credits) => withCreditEffects(started, credits), pbx: testPbx, listen: true, realClock: true });
}

const holdRows = (companyId: number) => test.db("credit_reservations").where({ company_id: companyId }).select("pbx_uniqueid", "micros");
const reservedMicros = async (companyId: number) => Number((await test.db("credit_balances").where({ company_id: companyId }).first<{ reserved_micros: number }>("reserved_micros"))?.reserved_micros);
const charged = async (uniqueid: string) => -Number((await test.db("ledger_entries").where({ pbx_uniqueid: uniqueid, kind: "call_charge" }).sum<{ s: number | null }[]>({ s: "amount_micros" }))[0]?.s ?? 0);

/** The call's CDR folded in twice (a replay after a restart), through a writer of the restarted process. */
async function chargeAfterRestart(uniqueid: string, endpointId: string, startMs: number): Promise<void> {
  const restarted = inProcessWriter(test.db, { log: quiet, raters: server!.credits.raters });
  try {
    for (let i = 0; i < 2; i += 1) await restarted.run("ingestCdrs", { cdrs: [cdrOf(uniqueid, endpointId, to, 95, startMs)], now: Date.now() });
  } finally {
    await restarted.close();
  }
}

describe("holds on SQLite, claimed in the process and written with the call's record", () => {
  it("authorize answers at once while another connection holds the database's write lock", async () => {
    server = await shippedServer();
    const caller = await companyWithCredit(server, 10_000_000);
    const query = new URLSearchParams({ endpoint: caller.endpointId, to, uniqueid: "pbx-locked.1" });
    const locker = new Database(test.file);
    locker.exec("BEGIN IMMEDIATE");
    let body: string;
    const started = performance.now();
    try {
      body = await (await fetch(`${server.url!}/pbx/authorize?${query.toString()}`, { headers: { "x-caller-pbx-secret": testPbx.secret } })).text();
    } finally {
      locker.exec("ROLLBACK");
      locker.close();
    }
    // Its hold waits for the lock in the writer's commit, not in the answer (busy_timeout is 5 s).
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(body).toMatch(/^result=allow/);
    await recordedCall(server, caller.user.id, "pbx-locked.1");
    expect(await holdRows(caller.companyId)).toHaveLength(1);
  });

  it("two claims at once never spend the same credit before either row is written", async () => {
    server = await shippedServer();
    // Enough for one hour-long call at $0.12 a minute, not two.
    const caller = await companyWithCredit(server, 7_300_000);
    await server.app.inject({ method: "GET", url: "/api/health" });
    const answers = await Promise.all([1, 2, 3].map((n) => authorize(server!, caller.endpointId, to, `pbx-race.${n}`)));
    const allowed = answers.filter((a) => a.startsWith("result=allow"));
    const rows = (await holdRows(caller.companyId)) as { micros: number | string }[];
    const held = rows.reduce((sum, row) => sum + Number(row.micros), 0);
    expect(held).toBeLessThanOrEqual(7_300_000);
    expect(allowed.length).toBeGreaterThanOrEqual(1);
    expect(await reservedMicros(caller.companyId)).toBe(held);
  });

  it("a crash after the answer, before the commit, loses the hold with the record: the CDR makes the record and charges it once", async () => {
    test = await openSqliteTestDb();
    // The process dies between the answer and the writer's commit: nothing it was given is written.
    const dead: DurableWriter = { run: () => Promise.reject(new Error("the process died before the commit")), idle: () => Promise.resolve(), close: () => Promise.resolve() };
    server = await startTestServer({ db: test.db, writerFor: () => dead, pbx: testPbx, realClock: true });
    const caller = await companyWithCredit(server, 10_000_000);
    const startMs = Date.now();
    expect(await authorize(server, caller.endpointId, to, "pbx-crash.1")).toMatch(/^result=allow/);
    expect(await holdRows(caller.companyId)).toEqual([]);

    await chargeAfterRestart("pbx-crash.1", caller.endpointId, startMs);
    // 95 s on 30/6 increments at $0.12 a minute: 96 s, $0.192.
    expect(await charged("pbx-crash.1")).toBe(192_000);
    expect(await holdRows(caller.companyId)).toEqual([]);
    expect(await reservedMicros(caller.companyId)).toBe(0);
    expect((await recordedCall(server, caller.user.id, "pbx-crash.1")).costMicros).toBe(192_000);
  });

  it("a crash after the commit leaves the hold for the charge, which releases it and charges once", async () => {
    server = await shippedServer();
    const caller = await companyWithCredit(server, 10_000_000);
    const startMs = Date.now();
    expect(await authorize(server, caller.endpointId, to, "pbx-crash.2")).toMatch(/^result=allow/);
    await recordedCall(server, caller.user.id, "pbx-crash.2");
    expect(await holdRows(caller.companyId)).toHaveLength(1);

    await chargeAfterRestart("pbx-crash.2", caller.endpointId, startMs);
    expect(await charged("pbx-crash.2")).toBe(192_000);
    expect(await holdRows(caller.companyId)).toEqual([]);
    expect(await reservedMicros(caller.companyId)).toBe(0);
  });
});
