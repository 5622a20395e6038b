// The shipped server in its own process, and an authorize loop against it: what import-bench and
// contacts-import-bench share. `--cpu-prof DIR` (given to the bench) starts the server with Node's
// CPU profiler, one .cpuprofile per thread written into DIR when it stops.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import type { SipConfig } from "../src-shared/server-api/sip";
import { writeCredit } from "../src-server/credits/ledger-write";
import { noEffects } from "../src-server/credits/credit-effects";
import { migrateToLatest } from "../src-server/db/migrate";
import { openDatabase } from "../src-server/db/open-database";
import { findUserByEmail } from "../src-server/db/users-repo";
import { demoCredentials, seedDemo } from "../src-server/seed/demo";
import { freeTcpPort } from "../e2e/support/asterisk";
import { formatTable, median } from "./run";

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

export interface ServerUnderLoad {
  server: BenchServer;
  url: string;
  /** The PBX's secret that /pbx/authorize asks for. */
  secret: string;
  /** The demo sales user's SIP endpoint: the caller the authorize loop asks about. */
  endpoint: string;
}

/**
 * The shipped server on a seeded SQLite file in a fresh folder (started with `--cpu-prof DIR` when the
 * bench was), the sales user's endpoint warmed up by 200 authorizes, then `use`. The server is stopped
 * and the folder removed after, whatever happens.
 */
export async function withServerUnderLoad(name: string, use: (under: ServerUnderLoad) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), `caller-${name}-`));
  const secret = randomBytes(24).toString("hex");
  let server: BenchServer | undefined;
  try {
    await writeFile(join(dir, "pbx.env"), `PBX_AUTHORIZE_SECRET=${secret}\nPBX_WS_URL=ws://127.0.0.1:8088/ws\n`, { mode: 0o600 });
    await prepareDatabase(join(dir, "server.sqlite"));
    server = await startServer(dir, await freeTcpPort(), { cpuProfileDir: cpuProfileDir() });
    const { url } = server;
    const sales = await token(url, demoCredentials.sales);
    const { username: endpoint } = (await (await fetch(`${url}/api/sip/config`, { headers: { authorization: `Bearer ${sales}` } })).json()) as SipConfig;
    await authorizeLoop(url, endpoint, secret, { count: 200 });
    await use({ server, url, secret, endpoint });
  } catch (error) {
    // What the server logged says why a step failed (the bench's own error only gives a status); those lines may still be on their way.
    await new Promise((done) => setTimeout(done, 500));
    if (server !== undefined && server.errors.length > 0) console.error(`server errors logged:\n${server.errors.slice(0, 3).join("\n")}`);
    throw error;
  } finally {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The closing lines every server-under-load bench prints: what the server logged while it ran. */
export function logServerHealth(server: BenchServer, passes: number): void {
  console.log(`server errors logged: ${server.errors.length}${server.errors.length > 0 ? `, first: ${server.errors[0]}` : ""}`);
  console.log(`"database is locked" lines logged: ${server.locked.errors}; writer commits tried again after a lock: ${server.locked.retries}`);
  console.log(`Node ${process.version}; ${passes} passes, baseline and import in turn`);
}

/** Authorize round trips with no import running and during one, medians over the passes, as both import benches print them. */
export function authorizeTable(baselineRequests: number, baseline: readonly { p50: number; p99: number }[], duringLabel: string, during: readonly { p50: number; p99: number; n: number }[]): string {
  const b50 = median(baseline.map((s) => s.p50));
  const b99 = median(baseline.map((s) => s.p99));
  const d50 = median(during.map((s) => s.p50));
  const d99 = median(during.map((s) => s.p99));
  return formatTable(
    ["authorize round trip (ms), median of passes", "n/pass", "p50", "p99", "p50 ratio", "p99 ratio"],
    [
      ["no import running (baseline)", String(baselineRequests), b50.toFixed(2), b99.toFixed(2), "1.00x", "1.00x"],
      [duringLabel, String(Math.round(median(during.map((s) => s.n)))), d50.toFixed(2), d99.toFixed(2), `${(d50 / b50).toFixed(2)}x`, `${(d99 / b99).toFixed(2)}x`],
    ],
  );
}
