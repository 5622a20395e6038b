import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface, type Interface } from "node:readline";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../seed/demo";
import { startPostgres, type PostgresCluster } from "../test-support/postgres";
import { openMigrated } from "../test-support/test-db";

/** A scheduler process: its stdout lines, answered in order. */
interface SchedulerProcess {
  child: ChildProcess;
  tick(at: number): Promise<number>;
}

let cluster: PostgresCluster;
let dir: string;
let bundle: string;
const running: ChildProcess[] = [];

beforeAll(async () => {
  cluster = await startPostgres();
  dir = await mkdtemp(join(tmpdir(), "caller-jobs-"));
  await symlink(fileURLToPath(new URL("../../node_modules", import.meta.url)), join(dir, "node_modules"), "dir");
  bundle = join(dir, "scheduler.mjs");
  await build({ entryPoints: [fileURLToPath(new URL("./testing/scheduler-process.ts", import.meta.url))], bundle: true, platform: "node", format: "esm", packages: "external", outfile: bundle, logLevel: "error" });
});

afterAll(async () => {
  for (const child of running) child.kill("SIGKILL");
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function seededDatabase(): Promise<{ url: string; grants(period: string): Promise<number>; close(): Promise<void> }> {
  const url = await cluster.createDatabase();
  const handle = await openMigrated({ kind: "postgres", url });
  await seedDemo(handle.db, Date.UTC(2026, 10, 24, 3));
  return {
    url,
    async grants(period) {
      const [row] = await handle.db("ledger_entries").where({ kind: "grant", period }).count<{ n: string }[]>({ n: "*" });
      return Number(row?.n);
    },
    close: () => handle.close(),
  };
}

async function startScheduler(url: string, lock: "advisory" | "none"): Promise<SchedulerProcess> {
  const child = spawn(process.execPath, [bundle], { cwd: dir, env: { ...process.env, CALLER_TEST_DATABASE_URL: url, CALLER_JOB_LOCK: lock }, stdio: ["pipe", "pipe", "inherit"] });
  running.push(child);
  const lines: Interface = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  lines.on("line", (line) => waiting.shift()?.(line));
  const next = (): Promise<string> => new Promise((resolve) => waiting.push(resolve));
  expect(await next()).toBe("ready");
  return {
    child,
    async tick(at) {
      const answer = next();
      child.stdin.write(`tick ${at}\n`);
      return (JSON.parse(await answer) as { runs: number }).runs;
    },
  };
}

// December 2026 has begun in Tokyo and New York: each demo company's December bonus is due.
const december = Date.UTC(2026, 11, 2);
const january = Date.UTC(2027, 0, 2);

describe("scheduled jobs with two servers on one PostgreSQL", () => {
  it("a due monthly grant runs on exactly one server, and moves to the other when that one is killed", async () => {
    const database = await seededDatabase();
    try {
      const [a, b] = await Promise.all([startScheduler(database.url, "advisory"), startScheduler(database.url, "advisory")]);
      const runs = await Promise.all([a.tick(december), b.tick(december)]);
      expect(runs[0] + runs[1]).toBe(1);
      expect(await database.grants("2026-12")).toBe(2);
      // The next ticks stay with the same server.
      const again = await Promise.all([a.tick(december + 60_000), b.tick(december + 60_000)]);
      expect(again).toEqual(runs.map((n) => n * 2));

      const [owner, other] = runs[0] === 1 ? [a, b] : [b, a];
      owner.child.kill("SIGKILL");
      await new Promise((resolve) => owner.child.once("exit", resolve));
      // PostgreSQL frees a dead session's locks when its socket closes.
      await expect.poll(() => other.tick(january), { timeout: 5_000 }).toBeGreaterThan(0);
      expect(await database.grants("2027-01")).toBe(2);
    } finally {
      await database.close();
    }
  });

  it("without the lock both servers run it (the ledger's keys still keep one grant per month)", async () => {
    const database = await seededDatabase();
    try {
      const [a, b] = await Promise.all([startScheduler(database.url, "none"), startScheduler(database.url, "none")]);
      expect(await Promise.all([a.tick(december), b.tick(december)])).toEqual([1, 1]);
      expect(await database.grants("2026-12")).toBe(2);
    } finally {
      await database.close();
    }
  });
});
