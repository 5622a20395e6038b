import { resolve } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newCallFields } from "../../calls/call-fields";
import { importWorker, type ImportParser } from "../../imports/import-parser";
import { importWorkerScript } from "../../imports/import-worker-script";
import { seedDemo } from "../../seed/demo";
import { tariffFile } from "../../test-support/import-test-files";
import { openSqliteTestDb, type TestDb } from "../../test-support/test-db";
import { findUserByEmail } from "../users-repo";
import { startWorkerWriter, type WorkerWriter } from "./worker-writer";

// Bundled as the build does, beside node_modules so its packages resolve (a name of its own: other test files bundle theirs in parallel).
const script = resolve("node_modules/.cache/caller-tests/writer-worker-rows.mjs");
let test: TestDb & { file: string };
let writer: WorkerWriter;
let imports: ImportParser;
let company: number;
let user: number;

const authorization = (uniqueid: string) => ({
  record: {
    fields: newCallFields({ companyId: company, userId: user, pbxUniqueid: uniqueid, clientCallId: null, number: "+12015550123", status: "authorized", startedAt: 1_000, refusalReason: null }),
    event: "allowed" as const,
    hold: null,
  },
  now: 1_000,
});

const pendingVersion = async (source: string): Promise<number> => {
  const [row] = await test
    .db<{ id: number; company_id: null; source: string; row_count: number; imported_by: string; imported_at: number; pending: boolean }>("tariff_versions")
    .insert({ company_id: null, source, row_count: 0, imported_by: "test", imported_at: 1_000, pending: true })
    .returning("id");
  return Number(row?.id);
};
const rowsOf = async (versionId: number): Promise<number> => Number((await test.db("tariff_rows").where({ version_id: versionId }).count<{ n: number }[]>({ n: "*" }))[0]?.n);

beforeAll(async () => {
  await build({ entryPoints: ["src-server/db/writer/writer-worker.ts"], bundle: true, platform: "node", format: "esm", packages: "external", outfile: script, logLevel: "error" });
  test = await openSqliteTestDb();
  await seedDemo(test.db, 1_000);
  const sales = await findUserByEmail(test.db, "sales@demo.example");
  company = sales!.companyId;
  user = sales!.id;
  writer = await startWorkerWriter({ file: test.file, script, log: { warn: () => {}, error: () => {} } });
  imports = importWorker(await importWorkerScript(), { tariffRowsPort: () => writer.tariffRowsPort() });
}, 60_000);

afterAll(async () => {
  await imports.close();
  await writer.close();
  await test.close();
});

describe("a tariff's rows written by the writer thread (SQLite)", () => {
  it("writes every row of a 30,000-row tariff between the writes queued meanwhile, which all commit", async () => {
    const count = 30_000;
    const versionId = await pendingVersion("urgent.csv");
    const parsed = await imports.parseTariff(tariffFile(count));
    let done = false;
    const writing = parsed.write(test.db, versionId).finally(() => (done = true));
    let urgent = 0;
    for (; !done; urgent += 1) {
      await writer.run("recordAuthorization", authorization(`urgent-${urgent}`));
      await new Promise((r) => setTimeout(r, urgent % 3));
    }
    await writing;
    expect(await rowsOf(versionId)).toBe(count);
    expect(urgent).toBeGreaterThan(5);
    expect(await test.db("calls").where("pbx_uniqueid", "like", "urgent-%").count<{ n: number }[]>({ n: "*" })).toEqual([{ n: urgent }]);
  }, 120_000);

  it("a restore copies a version's rows through the writer thread, all of them", async () => {
    const from = await pendingVersion("from.csv");
    await (await imports.parseTariff(tariffFile(1_234, { first: 4_900_000 }))).write(test.db, from);
    const to = await pendingVersion("restored.csv");
    const rater = await imports.copyTariff(test.db, from, to);
    expect(await rowsOf(to)).toBe(1_234);
    expect(rater.rate("+4900100", Date.UTC(2026, 5, 1))?.destination).toBe("Testland, mobile");
  });

  it("rows the database refuses fail the write, with the database's reason, and the writer keeps writing", async () => {
    const parsed = await imports.parseTariff(tariffFile(1_000, { first: 4_910_000 }));
    // No such version: the foreign key refuses the first step.
    await expect(parsed.write(test.db, 999_999)).rejects.toThrow(/FOREIGN KEY/);
    expect(await rowsOf(999_999)).toBe(0);
    await writer.run("recordAuthorization", authorization("after-refusal"));
    expect(await test.db("calls").where({ pbx_uniqueid: "after-refusal" })).toHaveLength(1);
  });
});
