import Database from "better-sqlite3";
import type { Knex } from "knex";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CallerError } from "../../../src-shared/errors";
import { openSqliteTestDb, type TestDb } from "../../test-support/test-db";
import { backgroundRestShare, GroupCommitter, type BusyRetry, type WriteOp } from "./group-commit";
import { RaterCache } from "../../credits/rater-cache";

const raters = new RaterCache();
const silent = { log: { warn: () => {}, error: () => {} }, raters };
let test: TestDb & { file: string };
let commits: number;

const ops = {
  put: async (trx: Knex.Transaction, input: { key: string }) => {
    await trx("writer_probe").insert({ key: input.key });
    return input.key.toUpperCase();
  },
  putThenFail: async (trx: Knex.Transaction, input: { key: string }) => {
    await trx("writer_probe").insert({ key: input.key });
    throw new CallerError("conflict", `no ${input.key}`);
  },
} satisfies Record<string, WriteOp>;

const keys = async (): Promise<string[]> => (await test.db("writer_probe").orderBy("key")).map((row: { key: string }) => row.key);

beforeEach(async () => {
  test = await openSqliteTestDb();
  await test.db.schema.createTable("writer_probe", (t) => t.string("key").primary());
  commits = 0;
  test.db.on("query", (query: { sql: string }) => {
    if (/^commit/i.test(query.sql)) commits += 1;
  });
});
afterEach(() => test.close());

describe("group commit", () => {
  it("commits writes queued together in one transaction, each resolving with its own result once committed", async () => {
    const committer = new GroupCommitter(test.db, ops, silent);
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => committer.run("put", { key: `k${String(i).padStart(3, "0")}` })));
    expect(results[7]).toBe("K007");
    expect(await keys()).toHaveLength(100);
    expect(commits).toBe(1);
  });

  it("rolls back a failing write alone; the others in its commit land", async () => {
    const committer = new GroupCommitter(test.db, ops, silent);
    const outcomes = await Promise.allSettled([
      committer.run("put", { key: "a" }),
      committer.run("putThenFail", { key: "b" }),
      committer.run("put", { key: "c" }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ code: "conflict" });
    expect(await keys()).toEqual(["a", "c"]);
  });

  it("a write that arrives during a commit waits for the next one and is not lost", async () => {
    const committer = new GroupCommitter(test.db, ops, silent);
    const first = committer.run("put", { key: "first" });
    await new Promise((resolve) => setImmediate(resolve));
    const second = committer.run("put", { key: "second" });
    await Promise.all([first, second]);
    await committer.idle();
    expect(await keys()).toEqual(["first", "second"]);
  });

  it("refuses an operation it does not know, writing nothing", async () => {
    const committer = new GroupCommitter(test.db, ops, silent);
    await expect(committer.run("drop", {})).rejects.toThrow(/no write operation named drop/);
    expect(await keys()).toEqual([]);
  });

  it("a write queued while background steps wait commits right after the step under way, with full sync; the steps commit without it", async () => {
    const order: string[] = [];
    const synchronous = async (trx: Knex.Transaction): Promise<number> => Number((await trx.raw<{ synchronous: number }[]>("pragma synchronous"))[0]?.synchronous);
    const committer = new GroupCommitter(test.db, { ...ops, mark: async (trx: Knex.Transaction, input: { key: string }) => {
      order.push(input.key);
      await trx("writer_probe").insert({ key: input.key });
      return synchronous(trx);
    } }, silent);
    const urgent: { write?: Promise<unknown> } = {};
    const stepSync: number[] = [];
    const steps = Array.from({ length: 12 }, (_, i) =>
      committer.background(async (trx) => {
        order.push(`step-${i}`);
        // Arrives while step 3 runs: it must not wait for steps 4 to 11.
        if (i === 3) urgent.write = committer.run("mark", { key: "urgent" });
        await trx("writer_probe").insert({ key: `step-${String(i).padStart(2, "0")}` });
        stepSync.push(await synchronous(trx));
      }),
    );
    await Promise.all(steps);
    expect(order.indexOf("urgent")).toBe(order.indexOf("step-3") + 1);
    // 2 is FULL: the urgent write's commit is synced; 1 is NORMAL, the steps' pending rows.
    expect(await urgent.write).toBe(2);
    expect(new Set(stepSync)).toEqual(new Set([1]));
    expect(await keys()).toHaveLength(13);
    expect(commits).toBe(13);
  });

  it("rests between background steps as long as the step took, and a write queued during the rest ends it at once", async () => {
    const committer = new GroupCommitter(test.db, ops, silent);
    const stepMs = 300;
    const ended: number[] = [];
    const started: number[] = [];
    const step = (i: number) => async (trx: Knex.Transaction): Promise<void> => {
      started.push(performance.now());
      await new Promise((done) => setTimeout(done, stepMs));
      await trx("writer_probe").insert({ key: `step-${i}` });
      ended.push(performance.now());
    };
    const first = committer.background(step(0));
    const second = committer.background(step(1));
    const third = committer.background(step(2));
    await first;
    // Queued during the rest after step 0: committed long before the rest would have ended.
    const queued = performance.now();
    await committer.run("put", { key: "urgent" });
    expect(performance.now() - queued).toBeLessThan(stepMs / 2);
    await Promise.all([second, third]);
    // No write during the rest after step 1: step 2 waited about as long as step 1 took.
    expect(started[2]! - ended[1]!).toBeGreaterThanOrEqual(stepMs * backgroundRestShare * 0.9);
    expect(await keys()).toHaveLength(4);
  });

  describe("while another connection holds the SQLite file's write lock", () => {
    const quickRetry: BusyRetry = { attempts: 8, firstDelayMs: 20, maxDelayMs: 200 };
    let other: Database.Database;
    beforeEach(async () => {
      // Each try waits 20 ms for the lock instead of the shipped 5 s, so the test stays short.
      await test.db.raw("pragma busy_timeout = 20");
      other = new Database(test.file);
      other.exec("BEGIN IMMEDIATE");
    });
    afterEach(() => {
      if (other.inTransaction) other.exec("ROLLBACK");
      other.close();
    });

    it("tries the commit again until the lock is released, and writes it (with a warning logged)", async () => {
      const warnings: string[] = [];
      const committer = new GroupCommitter(test.db, ops, { log: { warn: (_d, m) => warnings.push(m), error: () => {} }, raters }, quickRetry);
      const writes = Promise.all([committer.run("put", { key: "held-1" }), committer.run("put", { key: "held-2" })]);
      await new Promise((resolve) => setTimeout(resolve, 150));
      other.exec("COMMIT");
      expect(await writes).toEqual(["HELD-1", "HELD-2"]);
      expect(await keys()).toEqual(["held-1", "held-2"]);
      expect(warnings.length).toBeGreaterThan(0);
      expect(warnings[0]).toMatch(/locked/);
    });

    it("gives up after its bounded tries, logging an error, and writes nothing", async () => {
      const errors: string[] = [];
      const committer = new GroupCommitter(test.db, ops, { log: { warn: () => {}, error: (_d, m) => errors.push(m) }, raters }, { attempts: 3, firstDelayMs: 10, maxDelayMs: 20 });
      await expect(committer.run("put", { key: "never" })).rejects.toThrow(/database is locked/);
      expect(errors).toEqual([expect.stringMatching(/stayed locked/)]);
      other.exec("ROLLBACK");
      expect(await keys()).toEqual([]);
    });
  });
});
