import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { parseEnvLines } from "../../src-server/pbx/pbx-server-config";

const run = promisify(execFile);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Which company side the e2e suites run against: `single` (default: one Asterisk from
 * global-setup, each file its own server) or `scale` (CALLER_TOPOLOGY=scale: the topology
 * of scripts/scale.sh, reached through HAProxy and Kamailio).
 */
export type TopologyKind = "single" | "scale";

export function topologyKind(env: Readonly<Record<string, string | undefined>> = process.env): TopologyKind {
  const value = env.CALLER_TOPOLOGY ?? "single";
  if (value !== "single" && value !== "scale") throw new Error(`CALLER_TOPOLOGY must be "single" or "scale", got "${value}"`);
  return value;
}

export interface ScalePbx {
  name: string;
  /** Its own loopback address (SIP UDP 5060, ws 8088, AMI 5038). */
  address: string;
  /** The sipp far end on its test trunk. */
  farEnd: string;
  ami: { host: string; port: number; username: string; secret: string };
  /** As the host sees it (inside the chroot). */
  runtimeDir: string;
}

/** What `scale.sh up` wrote to scale.env: plain data, so it can be handed from a global setup to test files. */
export interface ScaleFacts {
  dir: string;
  /** HAProxy, plain http (the desktops' https door is apiHttpsUrl, self-signed). */
  apiUrl: string;
  apiHttpsUrl: string;
  /** Kamailio: what GET /api/sip/config hands out. */
  sipWsUrl: string;
  kamailioCtl: string;
  /** Where WebRTC media goes: straight to the Asterisk, or through rtpengine. */
  media: "direct" | "rtpengine";
  /** PostgreSQL's host:port (user caller, database caller; the password is in <dir>/secrets/pg). */
  database: string;
  servers: string[];
  pbxs: ScalePbx[];
}

const script = join(repo, "scripts/scale.sh");

/** Brings the topology up (a no-op for what already runs) and reads its facts. */
export async function ensureScaleTopology(): Promise<ScaleFacts> {
  await run("bash", [script, "up"], { cwd: repo, timeout: 240_000, maxBuffer: 1 << 20 });
  return readScaleFacts();
}

export async function readScaleFacts(dir = process.env.CALLER_SCALE_DIR ?? "/var/tmp/caller-scale"): Promise<ScaleFacts> {
  const env = parseEnvLines(await readFile(join(dir, "scale.env"), "utf8"));
  const need = (key: string): string => {
    const value = env[key];
    if (value === undefined || value === "") throw new Error(`scale.env lacks ${key}: run npm run scale -- up`);
    return value;
  };
  const names = need("SCALE_PBXS").split(" ");
  const pbxs = await Promise.all(
    names.map(async (_, index) => {
      const [name = "", address = "", farEnd = ""] = need(`SCALE_PBX_${index + 1}`).split(" ");
      const facts = parseEnvLines(await readFile(join(dir, "pbx", `${name}.out`), "utf8"));
      return {
        name,
        address,
        farEnd,
        ami: { host: facts.PBX_AMI_HOST ?? "", port: Number(facts.PBX_AMI_PORT), username: facts.PBX_AMI_USER ?? "", secret: facts.PBX_AMI_SECRET ?? "" },
        runtimeDir: facts.PBX_RUNTIME_DIR ?? "",
      };
    }),
  );
  return {
    dir,
    apiUrl: need("SCALE_API_URL"),
    apiHttpsUrl: need("SCALE_API_HTTPS_URL"),
    sipWsUrl: need("SCALE_SIP_WS_URL"),
    kamailioCtl: need("SCALE_KAMAILIO_CTL"),
    database: need("SCALE_DATABASE"),
    media: need("SCALE_MEDIA") === "rtpengine" ? "rtpengine" : "direct",
    servers: need("SCALE_SERVERS").split(" "),
    pbxs,
  };
}

/** An Asterisk CLI command on one of the topology's PBXs. */
export async function scalePbxCli(pbx: ScalePbx, command: string): Promise<string> {
  const { stdout } = await run("bash", [join(repo, "pbx-config/scripts/pbx.sh"), "cli", command], { env: { ...process.env, PBX_INSTANCE: pbx.name }, timeout: 30_000 });
  return stdout;
}

/** A signal to one Asterisk's process (SIGSTOP/SIGCONT imitate a host starved of CPU). */
export async function signalPbx(pbx: ScalePbx, signal: NodeJS.Signals): Promise<void> {
  const pid = (await readFile(join(pbx.runtimeDir, "run/asterisk.pid"), "utf8")).trim();
  if (!/^\d+$/.test(pid)) throw new Error(`no pid for ${pbx.name}`);
  process.kill(Number(pid), signal);
}

/** kill -9 of one Asterisk: no goodbye on any socket, as when its machine dies. */
export function killPbx(pbx: ScalePbx): Promise<void> {
  return signalPbx(pbx, "SIGKILL");
}

/** Kamailio's view of the Asterisks: address → dispatcher flags (AP active, IP inactive). */
export async function dispatcherFlags(facts: ScaleFacts): Promise<Record<string, string>> {
  const { stdout } = await run("kamcmd", ["-s", facts.kamailioCtl, "dispatcher.list"], { timeout: 10_000 });
  const flags: Record<string, string> = {};
  let uri = "";
  for (const line of stdout.split("\n")) {
    const u = /URI:\s*sip:([\d.]+)/.exec(line);
    if (u?.[1] !== undefined) uri = u[1];
    const f = /FLAGS:\s*(\S+)/.exec(line);
    if (f?.[1] !== undefined && uri !== "") flags[uri] = f[1];
  }
  return flags;
}
