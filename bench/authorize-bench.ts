// Authorize round trip, the target p99 <= 5 ms (run from the repo root; Asterisk needs root):
//   npm run bench -- authorize-bench
// 1. the server in this process: GET /pbx/authorize over real loopback HTTP, SQLite file, records
//    committed on the writer's worker thread as in production (each request decides and records a call);
// 2. Asterisk -> server -> Asterisk: the bundled server in its own process (--pbx-env, its own AMI
//    connection, as deployed) and Local calls through the real dialplan. This instance's
//    dialplan (only this one) takes microsecond timestamps, ${STRFTIME(,,%s.%6q)}, right
//    before and after the CURL line and hands them over in a UserEvent. (AMI's own event
//    timestamps, e.g. Newexten's, are taken when the manager formats the event: measured,
//    they add ~10 ms outliers of their own.)
// 3. the same through a stub that answers at once: Asterisk's and libcurl's own share.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { build } from "esbuild";
import { freeTcpPort, freeUdpPort, startAsterisk, type PbxInstance } from "../e2e/support/asterisk";
import type { SipConfig } from "../src-shared/server-api/sip";
import { ensureEndpoint } from "../src-server/db/pbx-endpoints-repo";
import { findUserByEmail } from "../src-server/db/users-repo";
import { addCredit } from "../src-server/credits/testing/credit-rig";
import { connect, type Socket } from "node:net";
import { startAuthorizeStub } from "../src-server/pbx/testing/authorize-stub";
import { startAnsweringFarEnd } from "../src-server/pbx/testing/sip-answering-far-end";
import { demoCredentials } from "../src-server/seed/demo";
import { startTestServer, type TestServer } from "../src-server/test-support/test-server";
import { openSqliteTestDb } from "../src-server/test-support/test-db";
import { startWorkerWriter } from "../src-server/db/writer/worker-writer";
import { withCreditEffects } from "../src-server/credits/credits-writer";
import { formatTable, median } from "./run";

const httpRequests = 2_000;
const httpWarmup = 200;
/** p99 of 1,000 is the 10th-worst call; of 200 it was the 2nd-worst, and swung by 1 ms between runs. */
const pbxCalls = 1_000;
/** Calls made first and not counted: the server process's JIT and SQLite caches warm up. */
const pbxWarmup = 30;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const row = (name: string, samples: readonly number[]): string[] => [
  name,
  String(samples.length),
  median(samples).toFixed(2),
  percentile(samples, 99).toFixed(2),
  Math.max(...samples).toFixed(2),
];

function get(agent: Agent, url: string, secret: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { "x-caller-pbx-secret": secret } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve(body));
    });
    req.on("error", reject);
    req.end();
  });
}

async function inProcess(server: TestServer, endpoint: string, secret: string): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const samples: number[] = [];
  try {
    for (let i = 0; i < httpWarmup + httpRequests; i += 1) {
      const query = new URLSearchParams({ endpoint, to: "+12015550123", uniqueid: `bench-${i}-${randomUUID()}`, clientCallId: randomUUID() });
      const started = performance.now();
      const body = await get(agent, `${server.url}/pbx/authorize?${query.toString()}`, secret);
      const elapsed = performance.now() - started;
      if (!body.startsWith("result=allow")) throw new Error(`authorize answered ${body}`);
      if (i >= httpWarmup) samples.push(elapsed);
      // 2 ms apart (500 calls/s, far beyond a company's PBX): each call's record is written after its answer.
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  } finally {
    agent.destroy();
  }
  return samples;
}

/** Wraps this instance's CURL line in timestamps and reloads its dialplan; the template stays untouched. */
async function timeTheCurl(pbx: PbxInstance): Promise<void> {
  const file = join(pbx.facts.runtimeDir, "etc/asterisk/extensions.conf");
  const text = (await readFile(file, "utf8"))
    .replace(" same => n,Set(HASH(auth)=", " same => n,Set(BENCH_T0=${STRFTIME(,,%s.%6q)})\n same => n,Set(HASH(auth)=")
    .replace(" same => n,Set(RESULT=", " same => n,UserEvent(BenchCurl,T0: ${BENCH_T0},T1: ${STRFTIME(,,%s.%6q)})\n same => n,Set(RESULT=");
  if (!text.includes("BenchCurl")) throw new Error("the dialplan's CURL line was not found");
  await writeFile(file, text);
  await pbx.cli("dialplan reload");
}

/** A bare AMI session: login (user events only), Originate one Local call at a time, read the BenchCurl events. */
async function throughAsterisk(pbx: PbxInstance, endpoint: string): Promise<number[]> {
  const { amiHost, amiPort, amiUser, amiSecret } = pbx.facts;
  const samples: number[] = [];
  const socket: Socket = connect(amiPort, amiHost);
  let buffer = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    buffer += chunk;
    for (let end = buffer.indexOf("\r\n\r\n"); end >= 0; end = buffer.indexOf("\r\n\r\n")) {
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 4);
      const t0 = /^T0: ([\d.]+)$/m.exec(message)?.[1];
      const t1 = /^T1: ([\d.]+)$/m.exec(message)?.[1];
      if (message.includes("UserEvent: BenchCurl") && t0 !== undefined && t1 !== undefined) samples.push((Number(t1) - Number(t0)) * 1000);
    }
  });
  const send = (lines: string[]): void => {
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);
  };
  try {
    send(["Action: Login", `Username: ${amiUser}`, `Secret: ${amiSecret}`, "Events: user"]);
    // The autoservice keeper, as the server starts it on its own AMI login (a second copy ends at once).
    send(["Action: Originate", "Channel: Local/hold@autoservice-keeper/n", "Context: autoservice-keeper", "Exten: idle", "Priority: 1", "Timeout: 10000", "Async: true"]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (let i = 0; i < pbxWarmup + pbxCalls; i += 1) {
      const before = samples.length;
      send(["Action: Originate", "Channel: Local/+12015550123@from-users", "Application: Wait", "Data: 5", "Timeout: 5000", "Async: true", `Variable: CALLER_ENDPOINT=${endpoint}`]);
      // One call at a time: the next starts once this one's authorize is measured (or after 2 s).
      const deadline = Date.now() + 2_000;
      while (samples.length === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    socket.destroy();
  }
  return samples.slice(pbxWarmup);
}

/** The server as it ships, bundled by esbuild into `dir`: main.ts and the writer's and the import's workers beside it. */
async function bundleServer(dir: string): Promise<{ main: string; writerWorker: string }> {
  const main = join(dir, "server.mjs");
  const writerWorker = join(dir, "writer-worker.mjs");
  await symlink(resolve("node_modules"), join(dir, "node_modules"), "dir");
  await build({ entryPoints: ["src-server/main.ts"], bundle: true, platform: "node", format: "esm", packages: "external", outfile: main, logLevel: "error" });
  await build({ entryPoints: ["src-server/db/writer/writer-worker.ts"], bundle: true, platform: "node", format: "esm", packages: "external", outfile: writerWorker, logLevel: "error" });
  await build({ entryPoints: ["src-server/imports/import-worker.ts"], bundle: true, platform: "node", format: "esm", packages: "external", outfile: join(dir, "import-worker.mjs"), logLevel: "error" });
  return { main, writerWorker };
}

/** The bundled server on `port`, with the PBX facts of `pbx`. */
async function startServerProcess(port: number, pbx: PbxInstance, dir: string): Promise<{ child: ChildProcess; url: string }> {
  const bundle = join(dir, "server.mjs");
  const args = [bundle, "--port", String(port), "--db", join(dir, "server.sqlite"), "--seed-demo", "--pbx-env", join(pbx.facts.runtimeDir, "pbx.env")];
  const child = spawn(process.execPath, args, { cwd: dir, stdio: ["ignore", "pipe", "ignore"], env: { ...process.env, DATABASE_URL: "" } });
  let out = "";
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`the server did not start: ${out}`)), 15_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("listening on")) {
        clearTimeout(timer);
        ready();
      }
    });
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

/** The sales user's endpoint as the softphone gets it: sign in, GET /api/sip/config. */
async function salesEndpoint(url: string): Promise<string> {
  const signIn = await fetch(`${url}/api/auth/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(demoCredentials.sales) });
  const { token } = (await signIn.json()) as { token: string };
  const config = (await (await fetch(`${url}/api/sip/config`, { headers: { authorization: `Bearer ${token}` } })).json()) as SipConfig;
  return config.username;
}

async function viaAsterisk(secret: string, dir: string): Promise<number[]> {
  const port = await freeTcpPort();
  const testTrunk = await freeUdpPort();
  const farEnd = await startAnsweringFarEnd(testTrunk, () => ({ kind: "reject", code: 486, reason: "Busy Here" }));
  let pbx: PbxInstance | undefined;
  let server: ChildProcess | undefined;
  try {
    pbx = await startAsterisk({ instance: `bench-authorize-${process.pid}`, serverUrl: `http://127.0.0.1:${port}`, authorizeSecret: secret, ports: { testTrunk } });
    await timeTheCurl(pbx);
    const started = await startServerProcess(port, pbx, dir);
    server = started.child;
    return await throughAsterisk(pbx, await salesEndpoint(started.url));
  } finally {
    server?.kill("SIGTERM");
    await pbx?.stop({ purge: true });
    await farEnd.close();
  }
}

async function viaStub(): Promise<number[]> {
  const stub = await startAuthorizeStub(() => "result=allow&callerid=%2B819012345678&maxSeconds=3600&record=0");
  const testTrunk = await freeUdpPort();
  const farEnd = await startAnsweringFarEnd(testTrunk, () => ({ kind: "reject", code: 486, reason: "Busy Here" }));
  let pbx: PbxInstance | undefined;
  try {
    pbx = await startAsterisk({ instance: `bench-stub-${process.pid}`, authorizeUrl: stub.url, ports: { testTrunk } });
    await timeTheCurl(pbx);
    return await throughAsterisk(pbx, "u1-abcdefghij");
  } finally {
    await pbx?.stop({ purge: true });
    await farEnd.close();
    await stub.close();
  }
}

async function main(): Promise<void> {
  const secret = randomBytes(24).toString("hex");
  const rows: string[][] = [];
  const pbxConfig = { secret, wsUrl: "ws://127.0.0.1:8088/ws", sipDomain: "127.0.0.1", iceServers: [], ami: null, cdrStore: null };
  const dir = await mkdtemp(join(tmpdir(), "caller-bench-"));
  try {
    const bundled = await bundleServer(dir);
    const test = await openSqliteTestDb();
    // Records and charges commit on the writer's thread, as in the shipped server (main.ts).
    const worker = await startWorkerWriter({ file: test.file, script: bundled.writerWorker, log: console });
    const server = await startTestServer({ db: test.db, writerFor: (credits) => withCreditEffects(worker, credits), pbx: pbxConfig, listen: true, realClock: true });
    try {
      const sales = (await findUserByEmail(server.db, demoCredentials.sales.email))!;
      const { endpointId } = await ensureEndpoint(server.db, sales, Date.now());
      // 2,000 authorizes without a CDR each hold credit for their longest call: give them room.
      await addCredit(server, sales.companyId, 10_000_000_000, "bench:credit");
      rows.push(row("server in this process (writer thread as shipped), loopback HTTP, 2 ms apart", await inProcess(server, endpointId, secret)));
    } finally {
      await server.close();
      await worker.close();
      await test.close();
    }
    await measureThroughAsterisk(secret, dir, rows);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function measureThroughAsterisk(secret: string, dir: string, rows: string[][]): Promise<void> {
  let throughAsterisk: number[] | null = null;
  let stub: number[] | null = null;
  try {
    throughAsterisk = await viaAsterisk(secret, dir);
    rows.push(row("Asterisk CURL -> server process -> Asterisk", throughAsterisk));
    stub = await viaStub();
    rows.push(row("Asterisk CURL -> stub answering at once (baseline)", stub));
  } catch (error) {
    console.log(`(no Asterisk round trip: ${error instanceof Error ? error.message.split("\n")[0] : String(error)})`);
  }
  console.log(formatTable(["authorize round trip (ms)", "n", "p50", "p99", "max"], rows));
  // The target is the issue's: the round trip through Asterisk, as deployed (the first row has no Asterisk in it).
  if (throughAsterisk === null) console.log("target: p99 <= 5 ms through Asterisk: not measured (no Asterisk)");
  else {
    const p99 = percentile(throughAsterisk, 99);
    const extra = stub === null ? "" : `; the server adds ${(p99 - percentile(stub, 99)).toFixed(2)} ms to the stub's p99`;
    console.log(`target: p99 <= 5 ms through Asterisk: ${p99.toFixed(2)} ms, ${p99 <= 5 ? "met" : "NOT met"}${extra}`);
  }
}

await main();
