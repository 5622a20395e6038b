import { join, resolve } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newCallFields } from "../../calls/call-fields";
import { seedDemo } from "../../seed/demo";
import { openSqliteTestDb, type TestDb } from "../../test-support/test-db";
import { findUserByEmail } from "../users-repo";
import type { DurableWriter } from "./durable-writer";
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
});
