import { execFile } from "node:child_process";
import { createSocket } from "node:dgram";
import { readFileSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { parsePbxEnv, type PbxFacts } from "../../src-server/pbx/pbx-env";

const run = promisify(execFile);
const script = resolve(dirname(fileURLToPath(import.meta.url)), "../../pbx-config/scripts/pbx.sh");

export interface PbxPorts {
  http: number;
  https: number;
  sip: number;
  ami: number;
  testTrunk: number;
}

export interface StartAsteriskOptions {
  /** Runtime dir name; [a-z0-9-]. Tests add their pid so parallel runs never share one. */
  instance: string;
  /** Ports left out are picked free on 127.0.0.1. */
  ports?: Partial<PbxPorts>;
  /**
   * The Caller server Asterisk asks (e.g. http://127.0.0.1:4300): authorize at
   * `<serverUrl>/pbx/authorize`, users' endpoints at `<serverUrl>/pbx/realtime`.
   * The server need not be up yet; it is asked per call and per SIP request.
   */
  serverUrl?: string;
  /** Overrides the authorize URL alone (a stub); realtime then goes to the same origin's /pbx/realtime. */
  authorizeUrl?: string;
  /** The shared secret (X-Caller-Pbx-Secret) to use instead of the instance's generated one. */
  authorizeSecret?: string;
  /** The endpoint calls are dialed to (PBX_TRUNK); default test-trunk (UDP to ports.testTrunk). */
  trunk?: string;
  /** Tests only: a WebRTC endpoint in from-trunk for a far end that registers (JsSIP); set `trunk` to its name to send calls there. */
  farEnd?: { name: string; password: string };
  /** name → password; become WebRTC endpoints (pjsip-dev-users.conf). */
  devUsers?: Record<string, string>;
  /** Test-only modules on top of modules.conf, e.g. app_senddtmf.so. */
  extraModules?: string[];
  /** A SIP provider trunk (pjsip-provider.conf): its host[:port], credentials, and the local UDP transport for it. */
  provider?: { host: string; user: string; password: string; bind: string; port: number };
}

export interface PbxInstance {
  facts: PbxFacts;
  /** Runs an Asterisk CLI command in this instance and returns its output. */
  cli(command: string): Promise<string>;
  /** `pbx.sh status` output (up + transports); throws when down. */
  status(): Promise<string>;
  /** Stops Asterisk; `purge` also removes the runtime dir (secrets, logs, CDRs). */
  stop(options?: { purge?: boolean }): Promise<void>;
}

const started = new Map<string, PbxInstance>();

/** Which Asterisk to use may come from the environment; every other PBX_* setting comes from the options. */
const inheritedPbxKeys = new Set(["PBX_ASTERISK", "PBX_RUNTIME_BASE"]);

function scriptEnv(instance: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("PBX_") || inheritedPbxKeys.has(key)));
  return { ...inherited, PBX_INSTANCE: instance, ...extra };
}

/** A CLI command on a running instance, named by its runtime folder (the shared PBX of an e2e run). */
export async function pbxCli(runtimeDir: string, command: string): Promise<string> {
  return (await run("bash", [script, "cli", command], { env: scriptEnv(basename(runtimeDir)), timeout: 30_000 })).stdout;
}

/** Boots (or finds running) one Asterisk through pbx.sh and reads its pbx.env. */
export async function startAsterisk(options: StartAsteriskOptions): Promise<PbxInstance> {
  const ports = await pickPorts(options.ports ?? {});
  const env: Record<string, string> = {
    PBX_HTTP_PORT: String(ports.http),
    PBX_HTTPS_PORT: String(ports.https),
    PBX_SIP_PORT: String(ports.sip),
    PBX_AMI_PORT: String(ports.ami),
    PBX_TEST_TRUNK_PORT: String(ports.testTrunk),
  };
  if (options.serverUrl !== undefined) {
    const base = options.serverUrl.replace(/\/+$/, "");
    env.PBX_AUTHORIZE_URL = `${base}/pbx/authorize`;
    env.PBX_REALTIME_URL = `${base}/pbx/realtime`;
  }
  if (options.authorizeUrl !== undefined) env.PBX_AUTHORIZE_URL = options.authorizeUrl;
  if (options.authorizeSecret !== undefined) env.PBX_AUTHORIZE_SECRET = options.authorizeSecret;
  if (options.trunk !== undefined) env.PBX_TRUNK = options.trunk;
  if (options.farEnd !== undefined) env.PBX_FAR_END = `${options.farEnd.name}:${options.farEnd.password}`;
  if (options.extraModules !== undefined) env.PBX_EXTRA_MODULES = options.extraModules.join(" ");
  if (options.provider !== undefined) {
    Object.assign(env, {
      PBX_PROVIDER_HOST: options.provider.host,
      PBX_PROVIDER_USER: options.provider.user,
      PBX_PROVIDER_PASSWORD: options.provider.password,
      PBX_PROVIDER_BIND: options.provider.bind,
      PBX_PROVIDER_SIP_PORT: String(options.provider.port),
    });
  }
  if (options.devUsers !== undefined) {
    env.PBX_DEV_USERS = Object.entries(options.devUsers).map(([name, password]) => `${name}:${password}`).join(" ");
  }
  // The chroot may need building on a cold machine (about a minute).
  const { stdout } = await run("bash", [script, "up"], { env: scriptEnv(options.instance, env), timeout: 300_000 });
  const facts = parsePbxEnv(stdout);
  const instance: PbxInstance = {
    facts,
    cli: async (command) => (await run("bash", [script, "cli", command], { env: scriptEnv(options.instance), timeout: 30_000 })).stdout,
    status: async () => (await run("bash", [script, "status"], { env: scriptEnv(options.instance), timeout: 30_000 })).stdout,
    stop: async ({ purge = false } = {}) => {
      started.delete(options.instance);
      await run("bash", [script, "down"], { env: scriptEnv(options.instance), timeout: 30_000 });
      // Only ever a runtime dir pbx.sh made: …/caller/<instance> or …/caller-pbx/<instance>.
      if (purge && /\/caller(-pbx)?\/[a-z0-9-]+$/.test(facts.runtimeDir) && facts.runtimeDir.endsWith(`/${options.instance}`)) {
        await rm(facts.runtimeDir, { recursive: true, force: true });
      }
    },
  };
  started.set(options.instance, instance);
  return instance;
}

/** Stops every instance this process started (the e2e global teardown). */
export async function stopAsterisk(options: { purge?: boolean } = {}): Promise<void> {
  await Promise.all([...started.values()].map((instance) => instance.stop(options)));
}

/** The ports an instance runs on: `startAsterisk` with these (and its instance name) boots it again in the same place. */
export function portsOf(facts: PbxFacts): PbxPorts {
  return { http: Number(new URL(facts.wsUrl).port), https: Number(new URL(facts.wssUrl).port), sip: facts.sipUdpPort, ami: facts.amiPort, testTrunk: facts.testTrunkPort };
}

/**
 * `kill -9` of an instance's Asterisk, as a crash: no CDRs, no goodbye on AMI.
 * Resolves once the process is gone (or after 5 s), with the moment of the kill.
 */
export async function killAsterisk(facts: PbxFacts): Promise<number> {
  const pid = Number((await readFile(join(facts.runtimeDir, "run", "asterisk.pid"), "utf8")).trim());
  if (!Number.isSafeInteger(pid) || pid <= 1) throw new Error(`no Asterisk pid in ${facts.runtimeDir}`);
  process.kill(pid, "SIGKILL");
  const killedAt = Date.now();
  for (let i = 0; i < 100 && isRunning(pid); i += 1) await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  return killedAt;
}

/** A zombie (dead, not yet reaped) counts as gone. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return !/^\d+ \(.*\) Z/.test(readProcStat(pid));
}

function readProcStat(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return "";
  }
}

/** Reads the facts of an instance started elsewhere (e.g. by the global setup). */
export async function readPbxFacts(runtimeDir: string): Promise<PbxFacts> {
  return parsePbxEnv(await readFile(join(runtimeDir, "pbx.env"), "utf8"));
}

async function pickPorts(given: Partial<PbxPorts>): Promise<PbxPorts> {
  return {
    http: given.http ?? (await freeTcpPort()),
    https: given.https ?? (await freeTcpPort()),
    ami: given.ami ?? (await freeTcpPort()),
    sip: given.sip ?? (await freeUdpPort()),
    testTrunk: given.testTrunk ?? (await freeUdpPort()),
  };
}

export function freeTcpPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export function freeUdpPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const socket = createSocket("udp4");
    socket.once("error", reject);
    socket.bind(0, "127.0.0.1", () => {
      const { port } = socket.address();
      socket.close(() => resolvePort(port));
    });
  });
}
