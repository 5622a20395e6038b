import { readdirSync } from "node:fs";
import { getPriority } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newCallFields } from "../../calls/call-fields";
import { ensureDefaultTariff } from "../../credits/tariff-repo";
import { seedDemo } from "../../seed/demo";
import { openSqliteTestDb, type TestDb } from "../../test-support/test-db";
import { findUserByEmail } from "../users-repo";
import type { DurableWriter } from "./durable-writer";
import { backgroundThreadNice } from "../../imports/thread-priority";
import { startWorkerWriter } from "./worker-writer";

// Bundled as the build does, beside node_modules so its packages resolve.
const script = resolve("node_modules/.cache/caller-tests/writer-worker.mjs");
const problems: string[] = [];
let test: TestDb & { file: string };
let writer: DurableWriter;
let company: number;
let user: number;

const record = (uniqueid: string, companyId = company) => ({
  record: {
    fields: newCallFields({ companyId, userId: user, pbxUniqueid: uniqueid, clientCallId: null, number: "+12015550123", status: "authorized", startedAt: 1_000, refusalReason: null }),
    event: "allowed" as const,
    hold: null,
  },
  now: 1_000,
});

beforeAll(async () => {
  await build({ entryPoints: ["src-server/db/writer/writer-worker.ts"], bundle: true, platform: "node", format: "esm", packages: "external", outfile: script, logLevel: "error" });
  test = await openSqliteTestDb();
  await seedDemo(test.db, 1_000);
  const sales = await findUserByEmail(test.db, "sales@demo.example");
  company = sales!.companyId;
  user = sales!.id;
  writer = await startWorkerWriter({ file: test.file, script: join(script), log: { warn: (_d, m) => problems.push(m), error: (_d, m) => problems.push(m) } });
}, 60_000);

afterAll(async () => {
  await writer.close();
  await test.close();
});

describe("the writer worker", () => {
  it.runIf(process.platform === "linux")("runs below the server thread's priority (nothing the PBX waits on commits there); the server thread keeps its own", () => {
    const main = getPriority(process.pid);
    const niced = readdirSync(`/proc/${process.pid}/task`).map(Number).filter((tid) => tid !== process.pid && getPriority(tid) === backgroundThreadNice);
    expect(niced.length).toBeGreaterThanOrEqual(1);
    expect(main).toBeLessThan(backgroundThreadNice);
    expect(getPriority(process.pid)).toBe(main);
  });

  it("commits on its own thread what the server thread then reads", async () => {
    await Promise.all(Array.from({ length: 50 }, (_, i) => writer.run("recordAuthorization", record(`w-${i}`))));
    const rows = await test.db("calls").where("pbx_uniqueid", "like", "w-%");
    expect(rows).toHaveLength(50);
    expect(await test.db("changes").where({ entity: "call" }).count({ n: "*" })).toEqual([{ n: 50 }]);
  });

  it("writes a retried record once", async () => {
    await Promise.all([writer.run("recordAuthorization", record("again")), writer.run("recordAuthorization", record("again"))]);
    expect(await test.db("calls").where({ pbx_uniqueid: "again" })).toHaveLength(1);
  });

  it("fails one bad write alone (a company that does not exist) and commits the rest", async () => {
    const outcomes = await Promise.allSettled([writer.run("recordAuthorization", record("good-1")), writer.run("recordAuthorization", record("bad", 999_999)), writer.run("recordAuthorization", record("good-2"))]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(Error);
    expect(await test.db("calls").whereIn("pbx_uniqueid", ["good-1", "bad", "good-2"]).pluck("pbx_uniqueid")).toEqual(["good-1", "good-2"]);
  });

  it("closes the calls of a lost Asterisk on its own thread and hands back what that did to credit", async () => {
    const uniqueid = "caller-pbx-w-1000.7";
    const t = Date.UTC(2026, 11, 1);
    await ensureDefaultTariff(test.db, 0);
    const authorized = record(uniqueid);
    await writer.run("recordAuthorization", { record: { ...authorized.record, fields: { ...authorized.record.fields, startedAt: t } }, now: t });
    await writer.run("recordAnswers", { answers: [{ uniqueid, at: t + 1_000 }] });
    await writer.run("startPbxSession", { session: { systemName: "caller-pbx-w", startedAt: t - 5_000 }, now: t + 2_000 });
    await writer.run("pbxLost", { systemName: "caller-pbx-w", lostAt: t + 62_500, now: t + 62_500 });
    const { interrupted, credits } = await writer.run("startPbxSession", { session: { systemName: "caller-pbx-w", startedAt: t + 70_000 }, now: t + 71_000 });
    expect(interrupted).toEqual([uniqueid]);
    expect(credits.endedCalls).toEqual([uniqueid]);
    expect(credits.balances).toHaveLength(1);
    const row = await test.db("calls").where({ pbx_uniqueid: uniqueid }).first<{ disposition: string; billed_seconds: number; ended_at: number }>();
    expect(row).toMatchObject({ disposition: "interrupted", billed_seconds: 61, ended_at: t + 62_500 });
    expect(await test.db("ledger_entries").where({ pbx_uniqueid: uniqueid }).pluck("billed_seconds")).toEqual([61]);
  });

  it("closes a received call of a lost Asterisk as interrupted without pricing it: no charge, no ledger entry", async () => {
    const uniqueid = "caller-pbx-in-1000.9";
    const t = Date.UTC(2026, 11, 2);
    await ensureDefaultTariff(test.db, 0);
    const received = record(uniqueid);
    await writer.run("recordAuthorization", { record: { ...received.record, fields: { ...received.record.fields, direction: "inbound", startedAt: t } }, now: t });
    await writer.run("recordAnswers", { answers: [{ uniqueid, at: t + 1_000 }] });
    await writer.run("startPbxSession", { session: { systemName: "caller-pbx-in", startedAt: t - 5_000 }, now: t + 2_000 });
    await writer.run("pbxLost", { systemName: "caller-pbx-in", lostAt: t + 31_000, now: t + 31_000 });
    const { interrupted } = await writer.run("startPbxSession", { session: { systemName: "caller-pbx-in", startedAt: t + 40_000 }, now: t + 41_000 });
    expect(interrupted).toEqual([uniqueid]);
    const row = await test.db("calls").where({ pbx_uniqueid: uniqueid }).first<{ direction: string; disposition: string; billed_seconds: number; cost_micros: number | null }>();
    expect(row).toMatchObject({ direction: "inbound", disposition: "interrupted", billed_seconds: 30, cost_micros: null });
    expect(await test.db("ledger_entries").where({ pbx_uniqueid: uniqueid })).toEqual([]);
  });
});
