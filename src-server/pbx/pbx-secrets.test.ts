import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { lstat, readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAsterisk, type PbxInstance } from "../../e2e/support/asterisk";
import { AmiClient } from "./ami-client";
import { registerAs } from "./testing/sip-register";

// What another local user of the PBX's machine can learn: no secret in a log, a file
// they can read, or a command line. The shared secret once reached messages.log
// (Asterisk prints every dialplan global at start), and with it the realtime route.
const run = promisify(execFile);
const devPassword = randomBytes(12).toString("hex");
const serverSecret = randomBytes(24).toString("hex");
let pbx: PbxInstance;
let secrets: string[];

beforeAll(async () => {
  pbx = await startAsterisk({ instance: `vt-secrets-${process.pid}`, devUsers: { alice: devPassword }, authorizeSecret: serverSecret });
  const { facts } = pbx;
  secrets = [facts.amiSecret, facts.authorizeSecret, devPassword];
  expect(facts.authorizeSecret).toBe(serverSecret);
  // Some traffic, so the logs have something to say: a REGISTER (challenge, digest), a wrong one, an AMI login.
  expect((await registerAs({ port: facts.sipUdpPort, user: "alice", password: devPassword })).status).toBe(200);
  expect((await registerAs({ port: facts.sipUdpPort, user: "alice", password: "wrong-password" })).status).toBe(401);
  const ami = new AmiClient({ host: facts.amiHost, port: facts.amiPort, username: facts.amiUser, secret: facts.amiSecret, pingIntervalMs: 0, connectTimeoutMs: 30_000 });
  await ami.connect();
  ami.close();
  await pbx.cli("core show uptime");
}, 120_000);

afterAll(async () => {
  await pbx?.stop({ purge: true });
});

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [dir];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else out.push(path);
  }
  return out;
}

/** Whether a user outside the file's owner and group reaches it: o+x on every folder from / down, and o+r on it. */
/** `fallback` when the file is gone (ENOENT); any other failure still fails the test. */
async function unlessGone<T, F>(work: Promise<T>, fallback: F): Promise<T | F> {
  try {
    return await work;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return fallback;
    throw error;
  }
}

async function othersCanRead(path: string): Promise<boolean> {
  if (((await lstat(path)).mode & 0o004) === 0) return false;
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if (((await lstat(dir)).mode & 0o001) === 0) return false;
    if (dir === "/") return true;
  }
}

const asNobody = (command: string[]) =>
  run("runuser", ["-u", "nobody", "--", ...command]).then(
    () => "allowed",
    (error: { stderr?: string }) => `refused: ${error.stderr ?? ""}`,
  );

describe("an instance's runtime dir and processes, as another local user sees them", () => {
  it("no secret in any log, and none in a file another user can read", async () => {
    const rt = pbx.facts.runtimeDir;
    const log = await readFile(pbx.facts.logFile, "utf8");
    expect(log).toMatch(/Setting global variable 'AUTHORIZE_URL'/);
    for (const secret of secrets) expect(log).not.toContain(secret);

    const leaks: string[] = [];
    for (const path of await walk(rt)) {
      // A file Asterisk removed since the listing (astdb's journal comes and goes) holds nothing to leak.
      const stat = await unlessGone(lstat(path), null);
      if (stat === null || !stat.isFile() || !(await unlessGone(othersCanRead(path), false))) continue;
      const text = await unlessGone(readFile(path, "latin1"), "");
      if (secrets.some((secret) => text.includes(secret))) leaks.push(path);
    }
    expect(leaks).toEqual([]);
  });

  it("nothing under the runtime dir is open to others; root owns the dir, secrets and pbx.env", async () => {
    const rt = pbx.facts.runtimeDir;
    const open = [];
    for (const path of await walk(rt)) {
      const stat = await lstat(path);
      if (stat.isDirectory() && path !== rt && (stat.mode & 0o077) !== 0) open.push(`${path} ${(stat.mode & 0o777).toString(8)}`);
    }
    expect(open).toEqual([]);
    const mode = async (path: string) => {
      const stat = await lstat(path);
      return [stat.uid, (stat.mode & 0o777).toString(8)];
    };
    expect(await mode(rt)).toEqual([0, "710"]);
    expect(await mode(join(rt, "secrets"))).toEqual([0, "700"]);
    expect(await mode(join(rt, "pbx.env"))).toEqual([0, "600"]);
  });

  it("another local user (nobody) can read neither the log, the config, cdr.db, recordings nor pbx.env", async () => {
    const rt = pbx.facts.runtimeDir;
    for (const file of [pbx.facts.logFile, join(rt, "etc/asterisk/res_curl.conf"), join(rt, "etc/asterisk/manager.conf"), pbx.facts.cdrDb, join(rt, "pbx.env"), join(rt, "secrets/authorize")]) {
      expect([file, await asNobody(["cat", file])]).toEqual([file, expect.stringMatching(/^refused: .*Permission denied/)]);
    }
    expect(await asNobody(["ls", pbx.facts.recordingsDir])).toMatch(/^refused: .*Permission denied/);
  });

  it("`up` again on the running instance leaves it as it was: still private, still answering", async () => {
    const again = await startAsterisk({ instance: `vt-secrets-${process.pid}`, devUsers: { alice: devPassword }, authorizeSecret: serverSecret });
    expect(again.facts.sipUdpPort).toBe(pbx.facts.sipUdpPort);
    const stat = await lstat(pbx.facts.runtimeDir);
    expect([stat.uid, (stat.mode & 0o777).toString(8)]).toEqual([0, "710"]);
    expect((await registerAs({ port: pbx.facts.sipUdpPort, user: "alice", password: devPassword })).status).toBe(200);
    expect(await pbx.cli("core show uptime")).toMatch(/System uptime/);
  });

  it("Asterisk runs as an id no host account has, with no secret on its command line", async () => {
    const pid = (await readFile(join(pbx.facts.runtimeDir, "run/asterisk.pid"), "utf8")).trim();
    const { stdout } = await run("ps", ["-o", "uid=,gid=,args=", "-p", pid]);
    const [uid = "", gid = "", ...args] = stdout.trim().split(/\s+/);
    for (const [db, id] of [["passwd", uid], ["group", gid]] as const) {
      const known = await run("getent", [db, id]).then(
        ({ stdout: line }) => line.trim(),
        () => "none",
      );
      expect([db, id, known]).toEqual([db, id, "none"]);
    }
    expect(Number(uid)).toBeGreaterThanOrEqual(50_000);
    const commandLine = args.join(" ");
    expect(commandLine).toContain("asterisk");
    for (const secret of secrets) expect(commandLine).not.toContain(secret);
  });
});
