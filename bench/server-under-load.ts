// The shipped server in its own process, and an authorize loop against it: what import-bench and
// contacts-import-bench share. `--cpu-prof DIR` (given to the bench) starts the server with Node's
// CPU profiler, one .cpuprofile per thread written into DIR when it stops.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { Agent, request } from "node:http";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { writeCredit } from "../src-server/credits/ledger-write";
import { noEffects } from "../src-server/credits/credit-effects";
import { migrateToLatest } from "../src-server/db/migrate";
import { openDatabase } from "../src-server/db/open-database";
import { findUserByEmail } from "../src-server/db/users-repo";
import { demoCredentials, seedDemo } from "../src-server/seed/demo";

const gapMs = 2;

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function get(agent: Agent, url: string, secret: string): Promise<string> {
  return new Promise((done, fail) => {
    const req = request(url, { agent, headers: { "x-caller-pbx-secret": secret } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => done(body));
    });
    req.on("error", fail);
    req.end();
  });
}

/**
 * Authorizes one call after another, 2 ms apart, until `count` are done or `until` says stop; each one's round
 * trip in ms. A request whose connection broke is counted in `failures` (and its time not sampled).
 */
export async function authorizeLoop(url: string, endpoint: string, secret: string, stop: { count?: number; until?: () => boolean }, failures?: string[]): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const samples: number[] = [];
  try {
    while (stop.count === undefined ? !stop.until!() : samples.length < stop.count) {
      const query = new URLSearchParams({ endpoint, to: "+12015550123", uniqueid: `bench-${randomUUID()}` });
      const started = performance.now();
      let body: string;
      try {
        body = await get(agent, `${url}/pbx/authorize?${query.toString()}`, secret);
      } catch (error) {
        if (failures === undefined) throw error;
        failures.push(`${(performance.now() - started).toFixed(0)} ms: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      samples.push(performance.now() - started);
      if (!body.startsWith("result=")) throw new Error(`authorize answered ${body}`);
      await new Promise((done) => setTimeout(done, gapMs));
    }
  } finally {
    agent.destroy();
  }
  return samples;
}

export async function prepareDatabase(file: string): Promise<void> {
  const db = await openDatabase({ kind: "sqlite", file });
  try {
    await migrateToLatest(db);
    await seedDemo(db);
    const sales = (await findUserByEmail(db, demoCredentials.sales.email))!;
    // Thousands of authorizes without a CDR each hold credit for their longest call: room for all.
    await db.transaction((trx) => writeCredit(trx, sales.companyId, [{ bucket: "purchased", kind: "adjustment", amountMicros: 100_000_000_000, idempotencyKey: "bench:credit" }], Date.now(), noEffects()));
  } finally {
    await db.destroy();
  }
}

export interface BenchServer {
  child: ChildProcess;
  url: string;
  errors: string[];
  /** Writes that met SQLite's lock: failed outright, or tried again by the writer. */
  locked: { errors: number; retries: number };
  stop(): Promise<void>;
}

/** The directory given as `--cpu-prof DIR` on the bench's command line, if any. */
export function cpuProfileDir(argv: readonly string[] = process.argv.slice(2)): string | null {
  const at = argv.indexOf("--cpu-prof");
  return at < 0 ? null : resolve(argv[at + 1] ?? "cpu-profiles");
}

export async function startServer(dir: string, port: number, options: { cpuProfileDir?: string | null } = {}): Promise<BenchServer> {
  const server = resolve("dist/server/server.mjs");
  if (!existsSync(resolve("dist/server/import-worker.mjs"))) throw new Error("dist/server/import-worker.mjs is missing: run node scripts/build.mjs server");
  const profile = options.cpuProfileDir == null ? [] : ["--cpu-prof", "--cpu-prof-dir", options.cpuProfileDir];
  const args = [...profile, server, "--port", String(port), "--host", "127.0.0.1", "--db", join(dir, "server.sqlite"), "--pbx-env", join(dir, "pbx.env")];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, DATABASE_URL: "", CALLER_LOG_LEVEL: "warn" } });
  const errors: string[] = [];
  const locked = { errors: 0, retries: 0 };
  const tail: string[] = [];
  let stopping = false;
  child.stderr?.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) {
      if (/"level":(50|60)/.test(line)) errors.push(line.slice(0, 1500));
      if (/database is locked|stayed locked/.test(line)) locked.errors += 1;
      if (/locked by another connection: trying the commit again/.test(line)) locked.retries += 1;
      if (line.trim() !== "") tail.splice(0, Math.max(0, tail.length - 19), line.slice(0, 1500));
    }
  });
  // A server that dies mid-bench says how, instead of leaving only "other side closed".
  child.once("exit", (code, signal) => {
    if (!stopping) console.error(`the server exited (code ${code}, signal ${signal}); its last lines:\n${tail.join("\n")}`);
  });
  let out = "";
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`the server did not start: ${out}`)), 30_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("listening on")) {
        clearTimeout(timer);
        ready();
      }
    });
  });
  const stop = async (): Promise<void> => {
    stopping = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once("exit", done));
    child.kill("SIGTERM");
    await exited;
  };
  return { child, url: `http://127.0.0.1:${port}`, errors, locked, stop };
}

export async function token(url: string, credentials: { email: string; password: string }): Promise<string> {
  const reply = await fetch(`${url}/api/auth/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(credentials) });
  return ((await reply.json()) as { token: string }).token;
}
