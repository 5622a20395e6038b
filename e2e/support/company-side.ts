import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Knex } from "knex";
import pg from "pg";
import { inject } from "vitest";
import { openDatabase } from "../../src-server/db/open-database";
import { AmiClient } from "../../src-server/pbx/ami-client";
import { readPbxFacts } from "./asterisk";
import { startHostProcess, type RunningHost } from "./app";
import { startCallRig } from "./call-app";
import type { FarEndOptions } from "./far-end";
import type { ScaleFacts } from "./scale-topology";
import { asteriskBillsec } from "./sqlite-read";

const run = promisify(execFile);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

// PostgreSQL hands bigint columns (micro-dollars, times in ms) back as text; every value here is
// well inside a double's exact range, so the tests compare them as numbers on both databases.
pg.types.setTypeParser(20, (value) => Number(value));

export interface PbxAccess {
  name: string;
  ami: { host: string; port: number; username: string; secret: string };
  /** Its own CDR store (cdr_sqlite3_custom), as this host sees it. */
  cdrDb: string;
}

/**
 * What an e2e file calls "the company side", on either topology (CALLER_TOPOLOGY):
 * - single: its own server (SQLite file) on the port the run's one Asterisk asks, and that Asterisk;
 * - scale: HAProxy in front of the servers (PostgreSQL, emptied for the file), Kamailio in front
 *   of every Asterisk.
 * Either way the file gets a fresh demo company and its own desktop host.
 */
export interface CompanySide {
  kind: "single" | "scale";
  /** Where the tests' own API requests go: the file's server, or HAProxy. */
  serverUrl: string;
  host: RunningHost;
  /** The SIP WebSocket the app uses (a relay of the test's, or Kamailio). */
  sipWsUrl: string;
  /** The far end's registration with each PBX that may dial it. */
  farEnd: FarEndOptions[];
  pbxs: PbxAccess[];
  /** The server's database, to read what it recorded (and to set up what no API offers). */
  db: Knex;
  rows<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  /** The billsec kept by whichever Asterisk handled the call (its uniqueid names it), or null. */
  billsec(uniqueid: string): Promise<number | null>;
  /** Drops the app's SIP WebSocket as a network failure would. */
  cutSip(): Promise<void>;
  stop(): Promise<void>;
}

export interface CompanySideOptions {
  /** Environment of the company server(s) for this file, e.g. CALLER_TRIAL_CAP_SECONDS. */
  serverEnv?: Record<string, string>;
}

export function startCompanySide(name: string, options: CompanySideOptions = {}): Promise<CompanySide> {
  const topology = inject("topology");
  return topology === null ? singleSide(name, options) : scaleSide(name, topology, options);
}

async function singleSide(name: string, options: CompanySideOptions): Promise<CompanySide> {
  const env = options.serverEnv ?? {};
  Object.assign(process.env, env);
  const rig = await startCallRig(name).finally(() => {
    for (const key of Object.keys(env)) delete process.env[key];
  });
  const db = await openDatabase({ kind: "sqlite", file: join(rig.dataDir, "server.sqlite") });
  const { facts } = rig.pbx;
  return {
    kind: "single",
    serverUrl: rig.server.url,
    host: rig.host,
    sipWsUrl: facts.wsUrl.replace(/:\d+\//, `:${rig.wsProxy.port}/`),
    farEnd: [{ wsUrl: facts.wsUrl, uri: "sip:far-end@127.0.0.1", password: rig.farEndPassword }],
    pbxs: [{ name: "pbx", ami: { host: facts.amiHost, port: facts.amiPort, username: facts.amiUser, secret: facts.amiSecret }, cdrDb: facts.cdrDb }],
    db,
    rows: (sql, ...params) => rowsOf(db, sql, params),
    billsec: (uniqueid) => Promise.resolve(asteriskBillsec(facts.cdrDb, uniqueid)),
    cutSip: () => {
      rig.wsProxy.cutAll();
      return Promise.resolve();
    },
    stop: async () => {
      await db.destroy();
      await rig.stop();
    },
  };
}

async function rowsOf<T>(db: Knex, sql: string, params: unknown[]): Promise<T[]> {
  const result = (await db.raw(sql, params as Knex.RawBinding[])) as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}

const scaleEnv = (topology: ScaleFacts, extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ ...process.env, CALLER_SCALE_DIR: topology.dir, ...extra });

/** No sign-in, call or verification since the servers seeded the database: it is as `scale.sh reset` would leave it. */
async function untouched(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>("select ((select count(*) from sessions) + (select count(*) from calls) + (select count(*) from verifications))::int as n");
    return rows[0]?.n === 0;
  } finally {
    await client.end();
  }
}

async function scaleSide(name: string, topology: ScaleFacts, options: CompanySideOptions): Promise<CompanySide> {
  const password = (await readFile(join(topology.dir, "secrets/pg"), "utf8")).trim();
  const url = `postgres://caller:${encodeURIComponent(password)}@${topology.database}/caller`;
  // A fresh database (demo seeded) and servers started with this file's environment, as each
  // single-box file gets its own server. A topology just brought up (CI's first file) is already
  // that when the file asks for no environment of its own: the reset (servers restarted) is skipped.
  if (options.serverEnv !== undefined || !(await untouched(url))) {
    await run("bash", [join(repo, "scripts/scale.sh"), "reset"], { cwd: repo, env: scaleEnv(topology, options.serverEnv), timeout: 240_000, maxBuffer: 1 << 20 });
  }
  const dataDir = mkdtempSync(join(tmpdir(), `caller-${name}-`));
  const cleanups: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e: unknown) => console.error(e));
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const db = await openDatabase({ kind: "postgres", url });
    cleanups.push(() => db.destroy());
    const farPassword = (await readFile(join(topology.dir, "secrets/far-end"), "utf8")).trim();
    const pbxs: (PbxAccess & { wsUrl: string; address: string })[] = [];
    for (const pbx of topology.pbxs) {
      const facts = await readPbxFacts(pbx.runtimeDir);
      pbxs.push({ name: pbx.name, ami: pbx.ami, cdrDb: facts.cdrDb, wsUrl: facts.wsUrl, address: pbx.address });
    }
    // Each Asterisk dials the test's JsSIP far end instead of the sipp one while this file runs.
    await setTrunk(pbxs, "far-end");
    cleanups.push(() => setTrunk(pbxs, "test-trunk"));
    process.env.CALLER_CONNECT_SOURCES = new URL(topology.sipWsUrl).origin;
    const host = await startHostProcess(topology.apiUrl, dataDir);
    cleanups.push(() => host.stop());
    return {
      kind: "scale",
      serverUrl: topology.apiUrl,
      host,
      sipWsUrl: topology.sipWsUrl,
      farEnd: pbxs.map((pbx) => ({ wsUrl: pbx.wsUrl, uri: `sip:far-end@${pbx.address}`, password: farPassword })),
      pbxs: pbxs.map(({ name: pbxName, ami, cdrDb }) => ({ name: pbxName, ami, cdrDb })),
      db,
      rows: (sql, ...params) => rowsOf(db, sql, params),
      billsec: (uniqueid) => Promise.resolve(pbxs.map((pbx) => asteriskBillsec(pbx.cdrDb, uniqueid)).find((seconds) => seconds !== null) ?? null),
      cutSip: () => dropKamailioWebSockets(topology),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A user's SIP settings as the app gets them (GET /api/sip/config): Kamailio's URL on the scale topology. */
export async function sipConfigOf(side: CompanySide, email: string, password: string): Promise<{ wsUrl: string; aor: string; username: string; password: string }> {
  const signIn = await fetch(`${side.serverUrl}/api/auth/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) });
  if (!signIn.ok) throw new Error(`sign-in as ${email}: ${signIn.status}`);
  const { token } = (await signIn.json()) as { token: string };
  const config = await fetch(`${side.serverUrl}/api/sip/config`, { headers: { authorization: `Bearer ${token}` } });
  if (!config.ok) throw new Error(`GET /api/sip/config: ${config.status}`);
  return (await config.json()) as { wsUrl: string; aor: string; username: string; password: string };
}

/** The dialplan's TRUNK global on every Asterisk (AMI Setvar without a channel). */
async function setTrunk(pbxs: readonly PbxAccess[], trunk: string): Promise<void> {
  for (const pbx of pbxs) {
    const ami = new AmiClient(pbx.ami);
    await ami.connect();
    try {
      await ami.action({ Action: "Setvar", Variable: "TRUNK", Value: trunk });
    } finally {
      ami.close();
    }
  }
}

/** Kamailio closes every desktop WebSocket it holds (its `ws.close` RPC), as a dropped network would end them. */
async function dropKamailioWebSockets(topology: ScaleFacts): Promise<void> {
  const { stdout } = await run("kamcmd", ["-s", topology.kamailioCtl, "ws.dump"], { timeout: 10_000 });
  const ids = [...stdout.matchAll(/^\s*(\d+): /gm)].map((m) => m[1] ?? "");
  if (ids.length === 0) throw new Error(`Kamailio holds no WebSocket to drop:\n${stdout}`);
  for (const id of ids) await run("kamcmd", ["-s", topology.kamailioCtl, "ws.close", id], { timeout: 10_000 });
}
