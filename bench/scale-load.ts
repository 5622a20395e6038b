// Load through the scale topology: sipp places N concurrent recorded calls of S seconds
// as load-test users through Kamailio to two Asterisk (scripts/scale.sh on its own net),
// then the same calls against a single box (one server on SQLite, one Asterisk). Reports
// failures, calls charged other than once, calls per Asterisk and CPU per call by component.
//   npm run bench -- scale-load [--calls 200] [--seconds 30] [--rate 10] [--only scale|single] [--no-register]
// Root (the topology, the Asterisk chroot). CALLER_SCALE_NET (default 127.0.102) and
// CALLER_SCALE_DIR (default /var/tmp/caller-scale-load) pick the topology.
import { execFile } from "node:child_process";
import { readFile, readdir } from "node:fs/promises";
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import knex, { type Knex } from "knex";
import { parseEnvLines } from "../src-server/pbx/pbx-server-config";
import { seedLoadTestUsers } from "../src-server/seed/load-test-users";
import { cpuBetween, pidFrom, snapshotCpu, type Components } from "./scale-load/cpu";
import { settledCharges, type ChargeCheck } from "./scale-load/ledger-check";
import { runSipp, type SippResult, type SippTarget } from "./scale-load/sipp";
import { startSingleBox } from "./scale-load/single-box";

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    calls: { type: "string", default: "200" },
    seconds: { type: "string", default: "30" },
    rate: { type: "string", default: "10" },
    only: { type: "string" },
    // --no-register: the users call cold, their endpoints in no Asterisk's cache.
    register: { type: "boolean", default: true },
  },
  allowNegative: true,
  allowPositionals: true,
});
const calls = Number(values.calls);
const seconds = Number(values.seconds);
const rate = Number(values.rate);
if (![calls, seconds, rate].every((n) => Number.isInteger(n) && n > 0) || calls > 1000) throw new Error("--calls (1-1000), --seconds and --rate are positive integers");
const number = "+12015550123";
const net = process.env.CALLER_SCALE_NET ?? "127.0.102";
const dir = process.env.CALLER_SCALE_DIR ?? "/var/tmp/caller-scale-load";
const env = { ...process.env, CALLER_SCALE_NET: net, CALLER_SCALE_DIR: dir };

interface Figures {
  name: string;
  sipp: SippResult;
  charges: ChargeCheck;
  cpuMs: Record<string, number>;
  /** Answered calls whose MixMonitor file is on their Asterisk's disk. */
  recorded: number;
  wallMs: number;
  load: string;
}

async function measure(slug: string, name: string, target: SippTarget, components: Components, monitorDirs: readonly string[], db: Knex, companyId: number, users: Parameters<typeof runSipp>[3]): Promise<Figures> {
  // Desktops register at sign-in, before they call: so do these users, outside the measured run.
  if (values.register) {
    const registered = await runSipp(join(dir, "bench", `${slug}-register`), target, { calls, seconds, rate, number }, users, "register");
    console.log(`registered first: ${registered.successful} of ${registered.created} (${registered.failed} failed)`);
  }
  const since = Date.now() - 1_000;
  const load = loadavg().map((n) => n.toFixed(1)).join(" ");
  const before = snapshotCpu(components);
  const started = Date.now();
  const sipp = await runSipp(join(dir, "bench", slug), target, { calls, seconds, rate, number }, users);
  const after = snapshotCpu(components);
  const wallMs = Date.now() - started;
  const charges = await settledCharges(db, companyId, since, sipp.successful);
  const recorded = await countRecordings(db, monitorDirs, charges.uniqueids);
  return { name, sipp, charges, recorded, cpuMs: { ...cpuBetween(before, after), "sipp (load generator)": sipp.cpuMs }, wallMs, load };
}

function report(figures: Figures): void {
  const { sipp, charges } = figures;
  // A call sipp completed that has no charge of exactly its cost is lost; one charged over its cost, duplicated.
  const lost = Math.max(0, sipp.successful - charges.chargedOnce - charges.overcharged);
  console.log(`\n## ${figures.name}: ${calls} calls of ${seconds} s, ${rate}/s (load average at start: ${figures.load}; ${(figures.wallMs / 1000).toFixed(0)} s)`);
  console.log(`sipp: ${sipp.successful} successful, ${sipp.failed} failed of ${sipp.created} (exit ${sipp.exitCode}); INVITE to 200 OK mean ${sipp.setupMeanMs.toFixed(0)} ms, ${sipp.setupsOver5s} over 5 s`);
  console.log(`call records ${charges.calls}, answered ${charges.answered}; charged exactly once ${charges.chargedOnce}, short or uncharged ${charges.uncharged}, over-charged ${charges.overcharged}; sipp calls with no charge ${lost}`);
  console.log(`recorded (MixMonitor file on the PBX, or shipped to the servers): ${figures.recorded} of ${charges.answered}`);
  console.log(`calls per Asterisk: ${Object.entries(charges.perPbx).map(([pbx, n]) => `${pbx} ${n}`).join(", ")}`);
  const answered = Math.max(1, charges.answered);
  console.log("CPU (ms over the run; ms per answered call; % of one core over the run):");
  for (const [component, ms] of Object.entries(figures.cpuMs)) {
    console.log(`  ${component.padEnd(24)} ${ms.toFixed(0).padStart(8)} ms  ${(ms / answered).toFixed(1).padStart(7)} ms/call  ${((ms / figures.wallMs) * 100).toFixed(0).padStart(4)} %`);
  }
}

/**
 * How many of the calls have their mix: on some Asterisk's disk, or already shipped to the
 * servers (a recording shipper removes a file once a server holds it). Shipping trails the
 * hangup, so it looks again for up to 30 s.
 */
async function countRecordings(db: Knex, monitorDirs: readonly string[], uniqueids: readonly string[]): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const files = new Set((await Promise.all(monitorDirs.map((d) => readdir(d).catch(() => [] as string[])))).flat());
    const shipped = new Set(await db("recordings").join("calls", "calls.id", "recordings.call_id").whereIn("calls.pbx_uniqueid", uniqueids).pluck<string[]>("calls.pbx_uniqueid"));
    const found = uniqueids.filter((id) => files.has(`${id}.wav`) || shipped.has(id)).length;
    if (found === uniqueids.length || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

async function scaleRun(): Promise<Figures> {
  await run("bash", ["scripts/scale.sh", "up"], { env, timeout: 400_000, maxBuffer: 1 << 20 });
  const facts = parseEnvLines(await readFile(join(dir, "scale.env"), "utf8"));
  const secret = (await readFile(join(dir, "secrets/pg"), "utf8")).trim();
  const db = knex({ client: "pg", connection: `postgres://caller:${secret}@${facts.SCALE_DATABASE}/caller`, pool: { min: 0, max: 2 } });
  try {
    const company = await seedLoadTestUsers(db, calls);
    const components: Components = {};
    const monitorDirs: string[] = [];
    for (const name of (facts.SCALE_PBXS ?? "").split(" ")) {
      const out = parseEnvLines(await readFile(join(dir, "pbx", `${name}.out`), "utf8"));
      components[`asterisk ${name}`] = [pidFrom(join(out.PBX_RUNTIME_DIR ?? "", "run/asterisk.pid"))];
      monitorDirs.push(join(out.PBX_RUNTIME_DIR ?? "", "spool/monitor"));
    }
    components.kamailio = [pidFrom(join(dir, "kamailio/kamailio.pid"))];
    const serverPids = (await readdir(join(dir, "servers"))).filter((f) => f.endsWith(".pid"));
    components.servers = serverPids.map((f) => pidFrom(join(dir, "servers", f)));
    components.postgresql = [pidFrom(join(dir, "pg/data/postmaster.pid"))];
    components.haproxy = [pidFrom(join(dir, "haproxy/haproxy.pid"))];
    components["sipp far ends"] = (await readdir(join(dir, "far"))).filter((f) => f.endsWith(".pid")).map((f) => pidFrom(join(dir, "far", f)));
    const [kamHost = "", kamPort = "5060"] = (facts.SCALE_SIP_WS_URL ?? "").replace(/^ws:\/\//, "").replace(/:\d+\/ws$/, "").split(":");
    return await measure("scale", "scale (Kamailio, 2 Asterisk, 2 servers, HAProxy, PostgreSQL)", { host: kamHost, port: Number(kamPort), localAddress: `${net}.50`, localPort: 5060, mediaPort: 35000 }, components, monitorDirs, db, company.companyId, company.users);
  } finally {
    await db.destroy();
  }
}

async function singleRun(): Promise<Figures> {
  const box = await startSingleBox(net, join(dir, "single"), calls);
  try {
    const components: Components = { asterisk: [box.pids.asterisk], server: [box.pids.server], "sipp far end": [box.pids.farEnd] };
    return await measure("single", "single box (1 server on SQLite, 1 Asterisk)", { host: box.sipAddress, port: 5060, localAddress: `${net}.51`, localPort: 5060, mediaPort: 37000 }, components, [box.monitorDir], box.db, box.company.companyId, box.company.users);
  } finally {
    await box.stop();
  }
}

// Each part reports as soon as it is measured: a single box that fails to start keeps the scale figures.
const results: Figures[] = [];
for (const [part, measurePart] of [["scale", scaleRun], ["single", singleRun]] as const) {
  if (values.only !== undefined && values.only !== part) continue;
  const figures = await measurePart();
  report(figures);
  results.push(figures);
}
const bad = results.some((f) => f.sipp.failed > 0 || f.recorded < f.charges.answered || f.charges.overcharged > 0 || f.charges.chargedOnce < f.sipp.successful);
process.exitCode = bad ? 1 : 0;
