import { execFile } from "node:child_process";
import { chmod, chown, lstat, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const run = promisify(execFile);
const script = new URL("./ensure-chroot.sh", import.meta.url).pathname;

/** A host account's ids (Debian's `daemon`, 1:1): what a Debian system id in a chroot can collide with. */
async function hostAccount(): Promise<{ uid: number; gid: number }> {
  const { stdout } = await run("getent", ["passwd", "daemon"]);
  const [, , uid, gid] = stdout.trim().split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

async function hostHas(id: number): Promise<boolean> {
  const known = async (db: string): Promise<boolean> =>
    run("getent", [db, String(id)]).then(
      () => true,
      () => false,
    );
  return (await known("passwd")) || (await known("group"));
}

/** The smallest cached chroot ensure-chroot.sh takes as built: asterisk's binary, the ready mark, passwd and group. */
async function fakeChroot(cache: string, ids: { uid: number; gid: number }): Promise<string> {
  const root = join(cache, "asterisk-chroot");
  await mkdir(join(root, "usr/sbin"), { recursive: true });
  await mkdir(join(root, "etc"), { recursive: true });
  await mkdir(join(root, "var/lib/asterisk"), { recursive: true });
  await mkdir(join(root, "run/caller/running-instance/log"), { recursive: true });
  await writeFile(join(root, "usr/sbin/asterisk"), "#!/bin/sh\n", { mode: 0o755 });
  await writeFile(join(root, ".caller-ready"), "");
  await writeFile(join(root, "etc/hosts"), "127.0.0.1 localhost\n");
  await writeFile(
    join(root, "etc/passwd"),
    `root:x:0:0:root:/root:/bin/bash\nasterisk:x:${ids.uid}:${ids.gid}:Asterisk PBX daemon:/var/lib/asterisk:/usr/sbin/nologin\n`,
  );
  await writeFile(join(root, "etc/group"), `root:x:0:\ndialout:x:20:asterisk\nasterisk:x:${ids.gid}:\n`);
  await writeFile(join(root, "var/lib/asterisk/astdb.sqlite3"), "");
  await symlink("astdb.sqlite3", join(root, "var/lib/asterisk/link"));
  await writeFile(join(root, "run/caller/running-instance/log/messages.log"), "");
  for (const path of ["var/lib/asterisk", "var/lib/asterisk/astdb.sqlite3", "run/caller/running-instance/log/messages.log"]) {
    await chown(join(root, path), ids.uid, ids.gid);
  }
  await run("chown", ["-h", `${ids.uid}:${ids.gid}`, join(root, "var/lib/asterisk/link")]);
  await chmod(join(root, "var/lib/asterisk"), 0o750);
  return root;
}

async function asteriskIds(root: string): Promise<{ uid: number; gid: number; groupId: number }> {
  const passwd = (await readFile(join(root, "etc/passwd"), "utf8")).split("\n").find((line) => line.startsWith("asterisk:"))!.split(":");
  const group = (await readFile(join(root, "etc/group"), "utf8")).split("\n").find((line) => line.startsWith("asterisk:"))!.split(":");
  return { uid: Number(passwd[2]), gid: Number(passwd[3]), groupId: Number(group[2]) };
}

const ensure = (cache: string) => run("bash", [script], { env: { ...process.env, CALLER_CACHE_DIR: cache }, timeout: 60_000 });

describe("ensure-chroot.sh on a cached chroot", () => {
  let cache: string;
  beforeEach(async () => {
    cache = await mkdtemp(join(tmpdir(), "caller-chroot-"));
  });
  afterEach(async () => {
    await rm(cache, { recursive: true, force: true });
  });

  it("gives the asterisk user and group an id no host account has, and hands it every file the old ids owned", async () => {
    const host = await hostAccount();
    const root = await fakeChroot(cache, host);

    const { stdout, stderr } = await ensure(cache);
    expect(stdout.trim()).toBe(root);
    const ids = await asteriskIds(root);
    expect(ids.uid).toBe(ids.gid);
    expect(ids.groupId).toBe(ids.uid);
    expect(ids.uid).toBeGreaterThanOrEqual(50_000);
    expect(await hostHas(ids.uid)).toBe(false);
    expect(stderr).toContain(`${host.uid}:${host.gid} -> ${ids.uid}:${ids.uid}`);
    for (const path of ["var/lib/asterisk", "var/lib/asterisk/astdb.sqlite3", "var/lib/asterisk/link"]) {
      const stat = await lstat(join(root, path));
      expect([path, stat.uid, stat.gid]).toEqual([path, ids.uid, ids.uid]);
    }
    expect((await lstat(join(root, "var/lib/asterisk"))).mode & 0o7777).toBe(0o750);
    // A running instance's files keep their owner until its next `pbx.sh up` re-owns them.
    expect((await lstat(join(root, "run/caller/running-instance/log/messages.log"))).uid).toBe(host.uid);
    expect(await readFile(join(root, "etc/group"), "utf8")).toContain("dialout:x:20:asterisk\n");
  });

  it("leaves a chroot already on a free high id as it is (a second run changes nothing)", async () => {
    const root = await fakeChroot(cache, await hostAccount());
    await ensure(cache);
    const first = await asteriskIds(root);
    const passwd = await readFile(join(root, "etc/passwd"), "utf8");

    const again = await ensure(cache);
    expect(again.stderr).not.toContain("->");
    expect(await asteriskIds(root)).toEqual(first);
    expect(await readFile(join(root, "etc/passwd"), "utf8")).toBe(passwd);
  });
});
