import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runSipp } from "../../bench/scale-load/sipp";
import { seedLoadTestUsers, type LoadTestUser } from "../../src-server/seed/load-test-users";
import { ensureScaleTopology, type ScaleFacts } from "../support/scale-topology";
import { callsOf, kamailioTarget, scaleDb, type CallRow } from "./drills-support";
import { ended, expectChargedOnce as expectChargedOnceIn, freshCallsReachSurvivor, killDrill, until } from "./kill-drill";

// Fault drills under load on the scale topology: sipp places load-test users' calls
// (plain RTP, digest auth, authorized, recorded and charged like any call) through
// Kamailio while one Asterisk is killed, or PostgreSQL is stopped and started again.

const run = promisify(execFile);
const number = "+12015550123";
let facts: ScaleFacts;
let db: Knex;
let users: LoadTestUser[];

beforeAll(async () => {
  facts = inject("scale");
  db = await scaleDb(facts);
  users = (await seedLoadTestUsers(db, 60)).users;
});

afterAll(async () => {
  await db?.destroy();
  // Leave the topology whole for the next run (the killed Asterisk comes back; a no-op otherwise).
  await ensureScaleTopology();
});

const ids = (batch: readonly LoadTestUser[]): number[] => batch.map((user) => user.userId);
const sippDir = (name: string): string => join(facts.dir, "drills", name);
const expectChargedOnce = (calls: readonly CallRow[]): Promise<void> => expectChargedOnceIn(db, calls);

describe("fault drills under load", () => {
  it("kill -9 of one Asterisk: new calls reach the other within 5 s, and each of the killed one's calls is charged once", async () => {
    await killDrill(facts, db, { live: users.slice(0, 10), liveSeconds: 40, host: 52, mediaPort: 35600, whileDown: freshCallsReachSurvivor(facts, db, users.slice(16, 26), 53, 36200) });
  }, 240_000);

  it("PostgreSQL stopped and started under calls: the servers reconnect by themselves, and calls that ended meanwhile are recorded and charged once", async () => {
    const inFlight = users.slice(32, 44);
    const after = users.slice(44, 52);
    const since = Date.now() - 1_000;
    const first = runSipp(sippDir("pg-live"), kamailioTarget(facts, 54, 36800), { calls: inFlight.length, seconds: 10, rate: 8, number }, inFlight);
    await until("the calls answered", () => callsOf(db, ids(inFlight), since), (calls) => calls.filter((c) => c.live_answered_at !== null).length === inFlight.length, 45_000);
    const pg = await pgCtl(facts);
    // Down for longer than the calls have left: they all end, and their CDRs arrive, while it is down.
    await pg("stop");
    const stoppedAt = Date.now();
    const done = await first;
    expect(done).toMatchObject({ successful: inFlight.length, failed: 0 });
    expect(Date.now() - stoppedAt).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, stoppedAt + 12_000 - Date.now())));
    await pg("start");
    console.log(`[drill] PostgreSQL down ${Date.now() - stoppedAt} ms under ${inFlight.length} calls`);

    // Nobody restarts the servers: they answer again, and their held CDR writes land.
    await until("the API through HAProxy", async () => (await fetch(`${facts.apiUrl}/api/health`).catch(() => null))?.status ?? 0, (status) => status === 200, 30_000);
    const recorded = await until("the calls that ended while it was down", () => callsOf(db, ids(inFlight), since), (calls) => ended(calls, inFlight.length), 60_000);
    await expectChargedOnce(recorded);

    const restartedAt = Date.now() - 1_000;
    const next = await runSipp(sippDir("pg-after"), kamailioTarget(facts, 55, 37400), { calls: after.length, seconds: 2, rate: 8, number }, after);
    expect(next).toMatchObject({ successful: after.length, failed: 0 });
    await expectChargedOnce(await until("the calls after", () => callsOf(db, ids(after), restartedAt), (calls) => ended(calls, after.length), 30_000));
  }, 240_000);
});

/** pg_ctl on the topology's cluster, as its owner. */
async function pgCtl(scale: ScaleFacts): Promise<(action: "stop" | "start") => Promise<void>> {
  const { stdout } = await run("bash", ["-c", "ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1"]);
  const bin = stdout.trim();
  const data = join(scale.dir, "pg/data");
  const [host = "", port = "5432"] = scale.database.split(":");
  return async (action) => {
    const args = action === "stop" ? ["-D", data, "-m", "fast", "-w", "stop"] : ["-D", data, "-l", join(scale.dir, "pg/server.log"), "-w", "-t", "30", "-o", `-p ${port} -k ${join(scale.dir, "pg")} -c listen_addresses=${host}`, "start"];
    await run("runuser", ["-u", "postgres", "--", join(bin, "pg_ctl"), ...args], { timeout: 60_000 });
  };
}
