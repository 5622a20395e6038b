import { spawn } from "node:child_process";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { LoadTestUser } from "../../src-server/seed/load-test-users";

export interface SippTarget {
  /** Where the INVITEs go: Kamailio, or a single box's Asterisk. */
  host: string;
  port: number;
  /** The load generator's own address (SIP and RTP). */
  localAddress: string;
  localPort: number;
  /** The first RTP port of the generator's calls. */
  mediaPort: number;
}

export interface SippLoad {
  calls: number;
  seconds: number;
  /** New calls a second while ramping up. */
  rate: number;
  number: string;
}

export interface SippResult {
  successful: number;
  failed: number;
  created: number;
  /** Calls whose 200 OK came 5 s or more after their first INVITE. */
  setupsOver5s: number;
  /** Mean time from the first INVITE to the 200 OK, ms. */
  setupMeanMs: number;
  exitCode: number | null;
  /** The generator's own CPU (utime + stime), ms, as last seen before it exited. */
  cpuMs: number;
}

// Benches run from the repository root (scripts/bench.mjs), bundled into dist/bench.
const scenarioFiles = { call: join(process.cwd(), "bench/sipp/load-call.xml"), register: join(process.cwd(), "bench/sipp/load-register.xml") };

/**
 * Writes the injection file (one user per call: id, its digest credentials, number; mode 0600 in a
 * 0700 folder, so no other local user reads the passwords), the scenario with its audio
 * file, and runs sipp until every call has ended. `register`: each user registers and
 * unregisters instead of calling (a desktop is registered before it calls).
 */
export async function runSipp(dir: string, target: SippTarget, load: SippLoad, users: readonly LoadTestUser[], scenarioName: keyof typeof scenarioFiles = "call"): Promise<SippResult> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const inf = join(dir, "users.csv");
  // sipp's documented way to give each call its own digest credentials: the keyword in a field.
  const lines = users.slice(0, load.calls).map((user) => `${user.endpointId};[authentication username=${user.endpointId} password=${user.password}];${load.number}`);
  await writeFile(inf, `SEQUENTIAL\n${lines.join("\n")}\n`, { mode: 0o600 });
  const audio = join(dir, "audio.wav");
  await makeAudio(audio);
  const scenario = join(dir, `load-${scenarioName}.xml`);
  await writeFile(scenario, (await readFile(scenarioFiles[scenarioName], "utf8")).replace("{{audio}}", audio).replace("{{milliseconds}}", String(load.seconds * 1000)));
  const stat = join(dir, "stat.csv");
  const args = [
    `${target.host}:${target.port}`,
    ...["-sf", scenario, "-inf", inf, "-i", target.localAddress, "-p", String(target.localPort), "-mi", target.localAddress],
    ...["-l", String(load.calls), "-m", String(load.calls), "-r", String(load.rate), "-rp", "1000"],
    ...["-recv_timeout", "30000", "-timeout", `${load.seconds + Math.ceil(load.calls / load.rate) + 90}s`],
    // RTP from ports no Asterisk range uses (their ranges bind every address: scripts/scale.sh);
    // [auto_media_port] counts up from -mp, call by call.
    ...["-mp", String(target.mediaPort)],
    // A 180 overtaken by its 200 (Kamailio's workers relay in parallel) is dropped, not a failed call.
    ...["-default_behaviors", "all,-abortunexp"],
    ...["-trace_stat", "-stf", stat, "-fd", "1", "-trace_err", "-error_file", join(dir, "errors.log"), "-nostdin", "-timeout_error"],
  ];
  const child = spawn("sipp", args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  // Its /proc entry goes with it: sample its CPU while it runs.
  let ticks = 0;
  const sampler = setInterval(() => {
    try {
      const stat = readFileSync(`/proc/${child.pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks = Number(fields[11]) + Number(fields[12]);
    } catch {
      // exited
    }
  }, 500);
  const exitCode = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearInterval(sampler);
  const counts = await readStats(stat).catch(() => null);
  if (counts === null) throw new Error(`sipp wrote no statistics (exit ${exitCode}): ${stderr.slice(-2000)}`);
  return { ...counts, exitCode, cpuMs: ticks * 10 };
}

async function readStats(file: string): Promise<{ successful: number; failed: number; created: number; setupsOver5s: number; setupMeanMs: number }> {
  const lines = (await readFile(file, "utf8")).trim().split("\n");
  const header = (lines[0] ?? "").split(";");
  const last = (lines[lines.length - 1] ?? "").split(";");
  const field = (name: string): number => {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`sipp statistics lack ${name}`);
    return Number(last[index]);
  };
  // sipp writes times as hh:mm:ss:µµµµµµ.
  const ms = (name: string): number => {
    const text = last[header.indexOf(name)] ?? "";
    const [h = 0, m = 0, s = 0, micro = 0] = text.split(":").map(Number);
    return ((h * 60 + m) * 60 + s) * 1000 + micro / 1000;
  };
  return {
    successful: field("SuccessfulCall(C)"),
    failed: field("FailedCall(C)"),
    created: field("TotalCallCreated"),
    setupsOver5s: field("ResponseTimeRepartition1_>=5000"),
    setupMeanMs: ms("ResponseTime1(C)"),
  };
}

/** Ten seconds of a 440 Hz tone, u-law 8 kHz (what the load endpoints offer), looped by sipp. */
async function makeAudio(file: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const sox = spawn("sox", ["-n", "-r", "8000", "-c", "1", "-e", "u-law", file, "synth", "10", "sine", "440", "vol", "0.3"], { stdio: "ignore" });
    sox.once("error", reject);
    sox.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`sox exited ${code}`))));
  });
}
