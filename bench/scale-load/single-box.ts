import { spawn, execFile, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Knex } from "knex";
import { migrateToLatest } from "../../src-server/db/migrate";
import { openDatabase } from "../../src-server/db/open-database";
import { parseEnvLines } from "../../src-server/pbx/pbx-server-config";
import { seedLoadTestUsers, type LoadTestCompany } from "../../src-server/seed/load-test-users";

const run = promisify(execFile);

/**
 * The single box the scale figures are compared with: one server on SQLite and one
 * Asterisk, as `npm start` runs them, on addresses of the bench's own net (no
 * HAProxy, no Kamailio, no PostgreSQL); sipp calls the Asterisk straight.
 */
export interface SingleBox {
  sipAddress: string;
  db: Knex;
  company: LoadTestCompany;
  pids: { asterisk: number; server: number; farEnd: number };
  /** Where its MixMonitor files land. */
  monitorDir: string;
  stop(): Promise<void>;
}

export async function startSingleBox(net: string, dir: string, users: number): Promise<SingleBox> {
  const pbxAddress = `${net}.60`;
  const farAddress = `${net}.61`;
  const serverAddress = `${net}.62`;
  const instance = `scale${net.split(".")[2]}-single`;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, "server.sqlite");
  const db = await openDatabase({ kind: "sqlite", file });
  await migrateToLatest(db);
  const company = await seedLoadTestUsers(db, users);

  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("PBX_"))),
    PBX_INSTANCE: instance,
    PBX_BIND_ADDR: pbxAddress,
    PBX_TEST_TRUNK_HOST: farAddress,
    PBX_TEST_TRUNK_PORT: "5070",
    // Its own RTP range: the scale topology's Asterisks hold 40000-64999 by net (scripts/scale.sh).
    PBX_RTP_START: "30000",
    PBX_RTP_END: "34999",
    PBX_AUTHORIZE_URL: `http://${serverAddress}:4300/pbx/authorize`,
    PBX_AUTHORIZE_SECRET: randomBytes(24).toString("hex"),
  };
  const script = join(process.cwd(), "pbx-config/scripts/pbx.sh");
  const { stdout } = await run("bash", [script, "up"], { env, timeout: 300_000 });
  const facts = parseEnvLines(stdout);
  const runtimeDir = facts.PBX_RUNTIME_DIR ?? "";
  const asterisk = Number((await readFile(join(runtimeDir, "run/asterisk.pid"), "utf8")).trim());

  const farEnd = spawn("sipp", ["-sn", "uas", "-rtp_echo", "-i", farAddress, "-p", "5070", "-mp", "30100", "-nostdin"], { stdio: "ignore", detached: false });
  const server = spawn(process.execPath, ["dist/server/server.mjs", "--host", serverAddress, "--port", "4300", "--db", file, "--pbx-env", join(runtimeDir, "pbx.env"), "--recordings-dir", join(dir, "recordings")], {
    env: { ...process.env, CALLER_LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const stop = async (): Promise<void> => {
    for (const child of [server, farEnd]) child.kill("SIGTERM");
    await db.destroy();
    await run("bash", [script, "down"], { env: { ...env }, timeout: 60_000 }).catch(() => undefined);
  };
  // A server that does not come up (it has, at load ~30) must not leave the Asterisk and far end behind.
  await waitForHealth(`http://${serverAddress}:4300/api/health`, server).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { sipAddress: pbxAddress, db, company, monitorDir: join(runtimeDir, "spool/monitor"), pids: { asterisk, server: server.pid ?? 0, farEnd: farEnd.pid ?? 0 }, stop };
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i += 1) {
    if (child.exitCode !== null) throw new Error(`the single-box server exited (${child.exitCode})`);
    if ((await fetch(url).catch(() => null))?.ok === true) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer in 30 s`);
}
