import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runSipp, type SippResult } from "../../bench/scale-load/sipp";
import { seedLoadTestUsers, type LoadTestUser } from "../../src-server/seed/load-test-users";
import { dispatcherFlags, ensureScaleTopology, killPbx, type ScaleFacts, type ScalePbx } from "../support/scale-topology";
import { callsOf, chargesOf, kamailioTarget, pbxOfCall, scaleDb, type CallRow } from "./drills-support";

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

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`${what}: not so after ${timeoutMs} ms: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    value = await read();
  }
  return value;
}

/** Every call ended (answered, or cut off by its Asterisk's loss), and charged exactly its cost, once. */
async function expectChargedOnce(calls: readonly CallRow[], disposition: "answered" | "interrupted" = "answered"): Promise<void> {
  const charges = await chargesOf(
    db,
    calls.map((call) => call.id),
  );
  for (const call of calls) {
    expect(call, `call ${call.pbx_uniqueid}`).toMatchObject({ status: "ended", disposition });
    expect(Number(call.cost_micros), `cost of ${call.pbx_uniqueid}`).toBeGreaterThan(0);
    expect(charges.get(call.id)?.total, `charge of ${call.pbx_uniqueid}`).toBe(Number(call.cost_micros));
  }
}

const ended = (calls: readonly CallRow[], count: number): boolean => calls.length === count && calls.every((call) => call.status === "ended");

describe("fault drills under load", () => {
  it("kill -9 of one Asterisk: new calls reach the other within 5 s, and each of the killed one's calls is charged once", async () => {
    const live = users.slice(0, 10);
    const fresh = users.slice(16, 26);
    const since = Date.now() - 1_000;
    const first = runSipp(sippDir("kill-live"), kamailioTarget(facts, 52, 35600), { calls: live.length, seconds: 40, rate: 4, number }, live);
    // The calls up when the Asterisk dies: those answered once the ramp is over (on this shared
    // machine a slow setup can fail one; the drill is about the calls that were up).
    await new Promise((resolve) => setTimeout(resolve, (live.length / 4) * 1000 + 4_000));
    const answered = (await callsOf(db, ids(live), since)).filter((call) => call.live_answered_at !== null && call.status === "authorized");
    expect(answered.length).toBeGreaterThan(live.length / 2);
    // The Asterisk carrying more of them dies; hashing on the user spread them over both.
    const counts = new Map<ScalePbx, number>();
    for (const call of answered) {
      const pbx = pbxOfCall(facts, call.pbx_uniqueid);
      if (pbx !== undefined) counts.set(pbx, (counts.get(pbx) ?? 0) + 1);
    }
    const [victim] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [];
    if (victim === undefined) throw new Error("no call landed on a topology PBX");
    const survivor = facts.pbxs.find((pbx) => pbx !== victim)!;
    expect(counts.get(victim)).toBeGreaterThan(0);
    await killPbx(victim);
    const killedAt = Date.now();

    // New calls at once, from users half of whom hash to the dead one.
    const second = await runSipp(sippDir("kill-new"), kamailioTarget(facts, 53, 36200), { calls: fresh.length, seconds: 3, rate: 4, number }, fresh);
    console.log(`[drill] ${victim.name} killed with ${counts.get(victim)} live calls; ${second.successful}/${fresh.length} new calls, setup mean ${second.setupMeanMs.toFixed(0)} ms, ${second.setupsOver5s} over 5 s`);
    expect(second).toMatchObject({ successful: fresh.length, failed: 0, setupsOver5s: 0 });
    const placed = await until("the new calls charged", () => callsOf(db, ids(fresh), killedAt - 1_000), (calls) => ended(calls, fresh.length), 30_000);
    expect(new Set(placed.map((call) => pbxOfCall(facts, call.pbx_uniqueid)))).toEqual(new Set([survivor]));
    await expectChargedOnce(placed);
    expect((await dispatcherFlags(facts))[victim.address]).toMatch(/^I/);

    // The killed Asterisk comes back: every server's new AMI session closes its calls as interrupted.
    await ensureScaleTopology();
    const onVictim = answered.filter((call) => pbxOfCall(facts, call.pbx_uniqueid) === victim).map((call) => call.id);
    const interrupted = await until(
      "the killed Asterisk's calls closed",
      async () => (await callsOf(db, ids(live), since)).filter((call) => onVictim.includes(call.id)),
      (calls) => ended(calls, onVictim.length),
      60_000,
    );
    expect(interrupted.every((call) => Boolean(call.interrupted))).toBe(true);
    await expectChargedOnce(interrupted, "interrupted");

    // The survivor's calls of the first batch run to their end as if nothing happened.
    const done: SippResult = await first;
    const onSurvivor = answered.filter((call) => !onVictim.includes(call.id)).map((call) => call.id);
    expect(done.successful).toBe(onSurvivor.length);
    const survived = await until("the survivor's calls charged", async () => (await callsOf(db, ids(live), since)).filter((call) => onSurvivor.includes(call.id)), (calls) => ended(calls, onSurvivor.length), 30_000);
    await expectChargedOnce(survived);
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
