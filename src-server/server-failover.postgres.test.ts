import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { HistoryCall } from "../src-shared/api/contract";
import type { SignInReply } from "../src-shared/server-api/auth";
import type { ChangesReply } from "../src-shared/server-api/changes";
import type { LedgerReply } from "../src-shared/server-api/credits";
import type { SipConfig } from "../src-shared/server-api/sip";
import { freeTcpPort, freeUdpPort, startAsterisk, type PbxInstance } from "../e2e/support/asterisk";
import { AmiClient } from "./pbx/ami-client";
import { originate } from "./pbx/ami-originate";
import { startAnsweringFarEnd, type AnsweringFarEnd } from "./pbx/testing/sip-answering-far-end";
import { demoCredentials, seedDemo } from "./seed/demo";
import { startPostgres, type PostgresCluster } from "./test-support/postgres";
import { openMigrated } from "./test-support/test-db";

// The kill -9 drill: two server processes on one PostgreSQL behind a real HAProxy (the
// scale topology's settings), one Asterisk whose authorize and realtime go through it.

interface ServerProcess {
  child: ChildProcess;
  exited: Promise<unknown>;
}

let dir: string;
let cluster: PostgresCluster;
let pbx: PbxInstance | undefined;
let farEnd: AnsweringFarEnd | undefined;
let haproxy: ChildProcess | undefined;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "caller-failover-"));
  await symlink(fileURLToPath(new URL("../node_modules", import.meta.url)), join(dir, "node_modules"), "dir");
  const bundle = (entry: string, out: string) =>
    build({ entryPoints: [fileURLToPath(new URL(entry, import.meta.url))], bundle: true, platform: "node", format: "esm", packages: "external", outfile: join(dir, out), logLevel: "error" });
  await Promise.all([bundle("./main.ts", "server.mjs"), bundle("./imports/import-worker.ts", "import-worker.mjs")]);
  cluster = await startPostgres();
}, 120_000);

afterAll(async () => {
  for (const server of servers) server.child.kill("SIGKILL");
  haproxy?.kill("SIGKILL");
  await pbx?.stop({ purge: true });
  await farEnd?.close();
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
});

function startServer(name: string, port: number, databaseUrl: string, pbxEnv: string): Promise<ServerProcess> {
  const args = ["--port", String(port), "--pbx-env", pbxEnv, "--recordings-dir", join(dir, `${name}-recordings`)];
  const child = spawn(process.execPath, [join(dir, "server.mjs"), ...args], { cwd: dir, env: { ...process.env, DATABASE_URL: databaseUrl, CALLER_LOG_LEVEL: "warn" }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const server = { child, exited };
  servers.push(server);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: no "pbx authorize url" line in 20 s; stderr: ${err}`)), 20_000);
    child.stdout.on("data", () => {
      if (!out.includes("pbx authorize url")) return;
      clearTimeout(timer);
      resolve(server);
    });
    void exited.then(() => reject(new Error(`${name} exited before listening; stderr: ${err}`)));
  });
}

/** HAProxy as scripts/scale.sh configures it (pbx-config/haproxy/haproxy.cfg), on one free port. */
async function startHaproxy(port: number, backends: number[]): Promise<void> {
  const cfg = join(dir, "haproxy.cfg");
  const lines = [
    "global",
    "\tmaxconn 4000",
    "defaults",
    "\tmode http",
    "\ttimeout connect 1s",
    "\ttimeout client 60s",
    "\ttimeout server 30s",
    "\ttimeout http-keep-alive 10s",
    "\tretries 2",
    "\toption redispatch 1",
    "\tretry-on conn-failure",
    "\tdefault-server inter 1s fall 2 rise 2",
    "frontend pbx",
    `\tbind 127.0.0.1:${port}`,
    "\tuse_backend pbx-hold if { path /pbx/authorize/hold }",
    "\tdefault_backend pbx",
    ...["pbx", "pbx-hold"].flatMap((backend) => [
      `backend ${backend}`,
      "\tbalance roundrobin",
      "\toption httpchk GET /api/health",
      "\thttp-check expect status 200",
      ...(backend === "pbx-hold" ? ["\ttimeout server 10m"] : []),
      ...backends.map((p, i) => `\tserver s${i + 1} 127.0.0.1:${p} check`),
    ]),
  ];
  await writeFile(cfg, `${lines.join("\n")}\n`);
  haproxy = spawn("haproxy", ["-db", "-f", cfg], { stdio: ["ignore", "ignore", "inherit"] });
  const health = async (): Promise<number> => (await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null))?.status ?? 0;
  await expect.poll(health, { timeout: 10_000 }).toBe(200);
}

it("kill -9 of one server: authorize keeps answering through the other, every call is recorded and charged once", async () => {
  const databaseUrl = await cluster.createDatabase();
  const seeded = await openMigrated({ kind: "postgres", url: databaseUrl });
  await seedDemo(seeded.db);
  await seeded.close();

  const [lbPort, portA, portB, testTrunk] = await Promise.all([freeTcpPort(), freeTcpPort(), freeTcpPort(), freeUdpPort()]);
  farEnd = await startAnsweringFarEnd(testTrunk, () => ({ kind: "answer", ringMs: 100, hangUpAfterMs: 2_000 }));
  const lb = `http://127.0.0.1:${lbPort}`;
  pbx = await startAsterisk({ instance: `vt-scale-jobs-${process.pid}`, serverUrl: lb, authorizeSecret: randomBytes(24).toString("hex"), ports: { testTrunk } });
  const pbxEnv = join(pbx.facts.runtimeDir, "pbx.env");
  const [a] = await Promise.all([startServer("a", portA, databaseUrl, pbxEnv), startServer("b", portB, databaseUrl, pbxEnv)]);
  await startHaproxy(lbPort, [portA, portB]);

  const signIn = async (credentials: { email: string; password: string }) =>
    ({ authorization: `Bearer ${((await (await fetch(`${lb}/api/auth/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(credentials) })).json()) as SignInReply).token}` });
  const sales = await signIn(demoCredentials.sales);
  const admin = await signIn(demoCredentials.admin);
  const { username } = (await (await fetch(`${lb}/api/sip/config`, { headers: sales })).json()) as SipConfig;

  const ami = new AmiClient({ host: pbx.facts.amiHost, port: pbx.facts.amiPort, username: pbx.facts.amiUser, secret: pbx.facts.amiSecret });
  await ami.connect();
  try {
    const place = () => originate(ami, { channel: "Local/+12015550123@from-users", application: "Wait", data: "10", variables: { CALLER_ENDPOINT: username, CALLER_CLIENT_CALL_ID: randomUUID() } });
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const before = 4;
    const after = 6;
    for (let i = 0; i < before; i += 1) {
      await place();
      await pause(300);
    }
    await expect.poll(() => farEnd!.calls.filter((c) => c.answeredAt !== null).length, { timeout: 10_000 }).toBe(before);
    // Calls are up, their holds made through whichever server; then one server dies, and new calls come at once.
    a.child.kill("SIGKILL");
    await a.exited;
    const killedAt = Date.now();
    for (let i = 0; i < after; i += 1) {
      await place();
      await pause(300);
    }
    await expect.poll(() => farEnd!.calls.length, { timeout: 10_000 }).toBe(before + after);
    const answered = farEnd.calls.filter((c) => c.answeredAt !== null);
    expect(answered).toHaveLength(before + after);
    expect(Math.min(...answered.slice(before).map((c) => c.answeredAt!)) - killedAt).toBeLessThan(5_000);
    await expect.poll(() => farEnd!.calls.filter((c) => c.endedAt !== null).length, { timeout: 15_000 }).toBe(before + after);

    const finalCalls = async (): Promise<HistoryCall[]> => {
      const feed = (await (await fetch(`${lb}/api/changes?limit=5000`, { headers: sales })).json()) as ChangesReply;
      const latest = new Map<string, HistoryCall>();
      for (const change of feed.changes) if (change.entity === "call") latest.set(change.entityId, change.data as HistoryCall);
      return [...latest.values()];
    };
    await expect.poll(async () => (await finalCalls()).filter((c) => c.disposition === "answered").length, { timeout: 15_000 }).toBe(before + after);
    const calls = await finalCalls();
    expect(calls).toHaveLength(before + after);
    const ledger = (await (await fetch(`${lb}/api/credits/ledger?kind=call_charge&limit=500`, { headers: admin })).json()) as LedgerReply;
    for (const call of calls) {
      const charges = ledger.entries.filter((e) => e.callId === call.id);
      expect(charges, `charges of ${call.id}`).toHaveLength(1);
      expect(-charges[0]!.amountMicros).toBe(call.costMicros);
    }
  } finally {
    ami.close();
  }
}, 120_000);
