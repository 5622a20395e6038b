import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import knex, { type Knex } from "knex";
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildRater } from "../../src-shared/credits/rater";
import { parseTariffCsv } from "../../src-shared/credits/tariff-csv";
import { ImportContactsReply } from "../../src-shared/server-api/crm";
import { TariffImportReply, TariffPreviewReply, TariffRestoreReply, operatorPaths } from "../../src-shared/server-api/operator";
import { CreditsRuntime } from "../credits/credits-runtime";
import { loadTariffRows } from "../credits/tariff-repo";
import { dialectOf } from "../db/open-database";
import { inlineImportParser } from "../imports/import-parser";
import { clearAbandonedTariffImports, restoreTariff } from "../operator/tariff-admin";
import { describeContactBodies } from "./import-contacts-suite";
import { describeImportBodies } from "./import-bodies-suite";
import { longestStall, tariffCounts, tariffFile } from "./import-test-files";
import type { TestDb } from "./test-db";
import { bearer, demoCredentials, startTestServer, type TestServer } from "./test-server";

/** A trigger that fails one row's insert: the write fails after some batches went in. */
async function refuseRowWithPrefix(db: Knex, prefix: string): Promise<void> {
  if (dialectOf(db) === "sqlite") {
    await db.raw(`create trigger refuse_prefix before insert on tariff_rows when new.prefix = '${prefix}' begin select raise(abort, 'refused by the test'); end`);
    return;
  }
  await db.raw(`create function refuse_prefix() returns trigger language plpgsql as $$ begin if new.prefix = '${prefix}' then raise exception 'refused by the test'; end if; return new; end $$`);
  await db.raw("create trigger refuse_prefix before insert on tariff_rows for each row execute function refuse_prefix()");
}

const require = createRequire(import.meta.url);

/**
 * A second connection that gives up on a lock after 200 ms (the writer
 * thread's would after 5 s), writing one row into lock_probe every 10 ms until
 * stopped. On SQLite it runs on its own thread, as the writer does: a blocking
 * wait here would stall the import it waits for.
 */
function impatientWriter(handle: TestDb): { stop: () => Promise<{ writes: number; failures: string[] }> } {
  if ("file" in handle && typeof handle.file === "string") {
    const worker = new Worker(
      `const { parentPort, workerData } = require("node:worker_threads");
      const Database = require(workerData.driver);
      const connection = new Database(workerData.file, { timeout: 200 });
      const insert = connection.prepare("insert into lock_probe (key) values (?)");
      let writes = 0, stopped = false;
      const failures = [];
      parentPort.on("message", () => { stopped = true; });
      const tick = () => {
        if (stopped) { connection.close(); parentPort.postMessage({ writes, failures }); return; }
        try { connection.transaction(() => insert.run("k" + writes)).immediate(); } catch (error) { failures.push(String(error.message)); }
        writes += 1;
        setTimeout(tick, 10);
      };
      tick();`,
      { eval: true, workerData: { file: handle.file, driver: require.resolve("better-sqlite3") } },
    );
    return {
      stop: () =>
        new Promise((resolve, reject) => {
          worker.once("message", (result: { writes: number; failures: string[] }) => void worker.terminate().then(() => resolve(result)));
          worker.once("error", reject);
          worker.postMessage("stop");
        }),
    };
  }
  const other = knex({ client: "pg", connection: (handle.db.client as { config: Knex.Config }).config.connection as Knex.StaticConnectionConfig, pool: { min: 1, max: 1 } });
  let stopped = false;
  const failures: string[] = [];
  let writes = 0;
  const running = (async () => {
    while (!stopped) {
      try {
        await other.transaction(async (trx) => {
          await trx.raw("set local lock_timeout = '200ms'");
          await trx("lock_probe").insert({ key: `k${writes}` });
        });
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
      writes += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await running;
      await other.destroy();
      return { writes, failures };
    },
  };
}

/**
 * Tariff and contact imports through the real routes, with files parsed on
 * the import worker thread as in the shipped server; once per database engine.
 */
export function describeImports(engine: string, open: () => Promise<TestDb>): void {
  describe(`imports on ${engine}`, () => {
    let handle: TestDb;
    let server: TestServer;
    let operator: string;
    let sales: string;
    beforeAll(async () => {
      handle = await open();
      server = await startTestServer({ db: handle.db, importWorker: true, listen: true });
      operator = await server.signIn(demoCredentials.operator);
      sales = await server.sessionFor(demoCredentials.sales);
    }, 60_000);
    afterAll(async () => {
      await server?.close();
      await handle?.close();
    });

    const post = (token: string, url: string, payload: object) =>
      server.app.inject({ method: "POST", url, headers: { ...bearer(token), "content-type": "application/json" }, payload: JSON.stringify(payload) });
    const importTariff = async (csv: string, fileName = "rates.csv") => {
      const reply = await post(operator, operatorPaths.tariffImport, { fileName, csv, acceptValidRows: false });
      expect(reply.statusCode, reply.body).toBe(200);
      return TariffImportReply.parse(reply.json());
    };

    it("a 100,000-row tariff is previewed and imported while this thread never stops for longer than a fraction of its parse", async () => {
      const csv = tariffFile(100_000);
      const started = performance.now();
      expect(parseTariffCsv(csv).rows).toHaveLength(100_000);
      const parseMs = performance.now() - started;

      const preview = await longestStall(() => post(operator, operatorPaths.tariffPreview, { fileName: "big.csv", csv }));
      expect(preview.result.statusCode, preview.result.body).toBe(200);
      expect(TariffPreviewReply.parse(preview.result.json())).toMatchObject({ rows: 100_000, counts: { added: 100_000 }, rejected: [] });
      expect(preview.stallMs).toBeLessThan(parseMs / 3);

      const imported = await longestStall(() => importTariff(csv, "big.csv"));
      expect(imported.result).toMatchObject({ imported: 100_000, rejected: [] });
      expect(imported.stallMs).toBeLessThan(parseMs / 3);
      expect(server.credits.rateNow("+4400042123", server.clock.now)).toMatchObject({ version: imported.result.version, row: { prefix: "4400042", ratePerMinuteMicros: 12_000 } });
    }, 180_000);

    it("restoring a 100,000-row version, and taking up one another process restored, never stop this thread for long: the rater is built on the import thread", async () => {
      const credits = server.credits;
      const { version: big } = await importTariff(tariffFile(100_000, { first: 5_000_000, rate: "0.021000" }), "restorable.csv");
      server.clock.now += 1_000;
      await importTariff(tariffFile(10, { first: 5_000_000, rate: "0.009000" }), "small.csv");
      // What this thread went through before: the version read and its rater built here.
      const inline = await longestStall(async () => buildRater(await loadTariffRows(server.db, big!)));
      expect(inline.result.rows).toHaveLength(100_000);

      server.clock.now += 1_000;
      const restored = await longestStall(() => server.app.inject({ method: "POST", url: operatorPaths.tariffRestore.replace(":id", String(big)), headers: bearer(operator) }));
      expect(restored.result.statusCode, restored.result.body).toBe(200);
      expect(restored.stallMs).toBeLessThan(inline.stallMs / 3);
      expect(credits.rateNow("+5000042123", server.clock.now)).toMatchObject({ version: TariffRestoreReply.parse(restored.result.json()).version, row: { prefix: "5000042", ratePerMinuteMicros: 21_000 } });

      // Another process (the CLI) restores it again: this server's policy sync reads the version list and needs the new version's rater.
      server.clock.now += 1_000;
      const elsewhere = await restoreTariff(server.db, new CreditsRuntime({ db: server.db }), inlineImportParser(), big!, { actor: "cli:test", now: server.clock.now });
      const reloaded = await longestStall(() => credits.reloadVersions(server.clock.now));
      expect(credits.currentVersion(server.clock.now)?.id).toBe(elsewhere);
      expect(reloaded.stallMs).toBeLessThan(inline.stallMs / 3);
      expect(credits.rateNow("+5000042123", server.clock.now)).toMatchObject({ version: elsewhere, row: { ratePerMinuteMicros: 21_000 } });
    }, 300_000);

    it("a tariff with one broken line is refused naming that line, and nothing changes", async () => {
      const before = await tariffCounts(server.db);
      const reply = await importTariff(tariffFile(5_000, { first: 4_500_000, broken: 4_321 }), "broken.csv");
      expect(reply).toEqual({ version: null, imported: 0, rejected: [{ line: 4_321, code: expect.any(String) as string, reason: expect.stringContaining("cheap") as string }] });
      expect(await tariffCounts(server.db)).toEqual(before);
    });

    it("while a 100,000-row tariff is written, another connection that waits at most 200 ms for a lock still writes every time", async () => {
      await server.db.schema.createTable("lock_probe", (t) => t.string("key").primary());
      const other = impatientWriter(handle);
      const imported = await importTariff(tariffFile(100_000, { first: 4_800_000 }), "concurrent.csv");
      const { writes, failures } = await other.stop();
      expect(imported.imported).toBe(100_000);
      expect(failures).toEqual([]);
      expect(writes).toBeGreaterThan(20);
    }, 180_000);

    it("a version a crash left pending is never rated and is deleted at start", async () => {
      const credits = server.credits;
      const before = credits.currentVersion(server.clock.now)?.id;
      const [row] = await server
        .db<{ id: number | string; company_id: null; source: string; row_count: number; imported_by: string; imported_at: number; pending: boolean }>("tariff_versions")
        .insert({ company_id: null, source: "crashed.csv", row_count: 1, imported_by: "test", imported_at: server.clock.now - 1_000, pending: true })
        .returning("id");
      const id = Number(row?.id);
      await server.db("tariff_rows").insert({ version_id: id, prefix: "44", destination: "Crashland", kind: "fixed", rate_per_minute_micros: 999_000, connection_fee_micros: 0, increment_first: 60, increment_next: 60, effective_from: 0, effective_to: null });
      await credits.reloadVersions(server.clock.now);
      expect(credits.versions().map((v) => v.id)).not.toContain(id);
      expect(credits.currentVersion(server.clock.now)?.id).toBe(before);
      expect(credits.rateNow("+4400042123", server.clock.now)?.row.ratePerMinuteMicros).not.toBe(999_000);

      expect(await clearAbandonedTariffImports(server.db, server.clock.now + 16 * 60_000)).toEqual([id]);
      expect(await server.db("tariff_versions").where({ id })).toEqual([]);
      expect(await loadTariffRows(server.db, id)).toEqual([]);
    });

    it("a write that fails after some batches went in leaves no pending rows and no visible version", async () => {
      await refuseRowWithPrefix(server.db, "4602500");
      const before = await tariffCounts(server.db);
      const current = server.credits.currentVersion(server.clock.now)?.id;
      const reply = await post(operator, operatorPaths.tariffImport, { fileName: "fails.csv", csv: tariffFile(3_000, { first: 4_600_000 }), acceptValidRows: false });
      expect(reply.statusCode).toBe(500);
      expect(await tariffCounts(server.db)).toEqual(before);
      expect(server.credits.currentVersion(server.clock.now)?.id).toBe(current);
    });

    it("a contacts file with a broken line is refused naming that line and writes nothing; a good one is imported", async () => {
      const people = (n: number) => Array.from({ length: n }, (_, i) => `Person ${i},Importers Inc,+1201555${String(1000 + i)},`);
      const broken = ["name,organization,phones,email", ...people(300)];
      broken[250] = "Broken Number,,12ab,";
      const before = await tariffCounts(server.db);
      const refused = ImportContactsReply.parse((await post(sales, "/api/crm/import", { csv: broken.join("\n") })).json());
      expect(refused).toEqual({ imported: 0, rows: 300, rejected: [{ line: 251, reason: expect.stringContaining("12ab") as string }] });
      expect(await tariffCounts(server.db)).toEqual(before);

      const good = ImportContactsReply.parse((await post(sales, "/api/crm/import", { csv: ["name,organization,phones,email", ...people(300)].join("\n") })).json());
      expect(good).toEqual({ imported: 300, rows: 300, rejected: [] });
      expect(Number((await tariffCounts(server.db)).people)).toBe(Number(before.people) + 300);
    });

    it("after 20 imports only the version in force is held in memory, and an older one only while a call rated with it is in progress", async () => {
      const credits = server.credits;
      let inFlightVersion: number | undefined;
      for (let i = 0; i < 20; i += 1) {
        server.clock.now += 1_000;
        const { version } = await importTariff(tariffFile(2_000, { first: 4_700_000, rate: `0.0${10 + i}000` }), `round-${i}.csv`);
        expect(credits.heldVersions()).toEqual(inFlightVersion === undefined ? [version] : [inFlightVersion, version]);
        if (i === 9) {
          // A call rated with this version starts and is still going through the next imports.
          inFlightVersion = version!;
          credits.pinRater("in-flight-1", version!, server.clock.now + 60_000);
        }
      }
      credits.unpinRater("in-flight-1");
      expect(credits.heldVersions()).toEqual([credits.currentVersion(server.clock.now)?.id]);
    }, 120_000);

    describeImportBodies(() => ({ server, operator }));
    describeContactBodies(() => ({ server, user: sales }));
  });
}
