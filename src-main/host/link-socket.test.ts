import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { linkSocketPath, listenForLinks, requestLaunchUrl, socketRefusal, type LinkListener } from "./link-socket";
import { openLink } from "./open-link";

let dir: string;
const uid = process.getuid?.() ?? 0;
const listeners: LinkListener[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "caller-link-"));
});
afterEach(async () => {
  for (const listener of listeners.splice(0)) await listener.close();
  await rm(dir, { recursive: true, force: true });
});

async function listen(path: string, received: string[]) {
  const listener = await listenForLinks(path, (uri) => received.push(uri));
  listeners.push(listener);
  return listener;
}

function launcher(socketPath: string, extra: { uid?: number } = {}) {
  const started: string[] = [];
  const logged: string[] = [];
  const run = (uri: string) =>
    openLink({ uri, socketPath, uid: extra.uid ?? uid, start: (link) => started.push(link), log: (line) => logged.push(line), timeoutMs: 1_000 });
  return { run, started, logged };
}

describe("the link socket and its launcher", () => {
  it("forwards a link to the running host and starts nothing", async () => {
    const received: string[] = [];
    const path = join(dir, "data", "link.sock");
    await listen(path, received);
    const { run, started } = launcher(path);
    await expect(run("callto:+81312345678")).resolves.toBe("forwarded");
    expect(received).toEqual(["callto:+81312345678"]);
    expect(started).toEqual([]);
  });

  it("hands the user's own programs a fresh launch URL each time they ask", async () => {
    const path = join(dir, "data", "link.sock");
    let minted = 0;
    const listener = await listenForLinks(path, () => undefined, () => `http://127.0.0.1:1/launch?code=${++minted}`);
    listeners.push(listener);
    await expect(requestLaunchUrl(path, uid)).resolves.toBe("http://127.0.0.1:1/launch?code=1");
    await expect(requestLaunchUrl(path, uid)).resolves.toBe("http://127.0.0.1:1/launch?code=2");
    // Only from a socket that is the asker's own.
    await expect(requestLaunchUrl(path, uid + 1)).rejects.toThrow("not to you");
  });

  it("makes the socket the user's alone", async () => {
    const path = join(dir, "data", "link.sock");
    await listen(path, []);
    await expect(socketRefusal(path, uid)).resolves.toBeNull();
  });

  it("starts the app with the link when no host runs, or when a killed one left its socket behind", async () => {
    const { run, started } = launcher(join(dir, "link.sock"));
    await expect(run("tel:+14155550100")).resolves.toBe("started");

    const stale = join(dir, "stale.sock");
    await leaveStaleSocket(stale);
    const afterCrash = launcher(stale);
    await expect(afterCrash.run("tel:+14155550100")).resolves.toBe("started");
    expect(started).toEqual(["tel:+14155550100"]);
    expect(afterCrash.started).toEqual(["tel:+14155550100"]);
    // The next host replaces the stale socket instead of failing.
    const received: string[] = [];
    await listen(stale, received);
    await expect(launcher(stale).run("tel:+14155550100")).resolves.toBe("forwarded");
    expect(received).toEqual(["tel:+14155550100"]);
  });

  it("refuses a socket that is not the user's, open to others, or not a socket at all", async () => {
    const path = join(dir, "data", "link.sock");
    const received: string[] = [];
    await listen(path, received);
    const otherUser = launcher(path, { uid: uid + 1 });
    await expect(otherUser.run("tel:+14155550100")).resolves.toBe("refused");
    expect(otherUser.logged.join("\n")).toMatch(/not to you/);

    await chmod(path, 0o666);
    const open = launcher(path);
    await expect(open.run("tel:+14155550100")).resolves.toBe("refused");
    expect(open.logged.join("\n")).toMatch(/open to other users/);

    const plain = join(dir, "plain");
    await writeFile(plain, "");
    await expect(launcher(plain).run("tel:+14155550100")).resolves.toBe("refused");

    const shared = join(dir, "shared");
    await mkdir(shared);
    await chmod(shared, 0o777);
    await listen(join(shared, "link.sock"), received);
    const inShared = launcher(join(shared, "link.sock"));
    await expect(inShared.run("tel:+14155550100")).resolves.toBe("refused");
    expect(inShared.logged.join("\n")).toMatch(/writable by other users/);
    expect(received).toEqual([]);
    expect([...otherUser.started, ...open.started, ...inShared.started]).toEqual([]);
  });

  it("hands on only callto:/tel: links, whoever sends them", async () => {
    const path = join(dir, "data", "link.sock");
    const received: string[] = [];
    await listen(path, received);
    const { run, started } = launcher(path);
    await expect(run("https://evil.example/")).resolves.toBe("not_a_link");
    await expect(run("--help")).resolves.toBe("not_a_link");
    const answer = await rawExchange(path, `${JSON.stringify({ uri: "javascript:alert(1)" })}\n`);
    expect(answer).toContain("not a callto:/tel: link");
    expect(received).toEqual([]);
    expect(started).toEqual([]);
  });

  it("refuses a second host on the same socket and leaves a foreign file alone", async () => {
    const path = join(dir, "data", "link.sock");
    await listen(path, []);
    await expect(listenForLinks(path, () => undefined)).rejects.toThrow(/already listens/);
    const file = join(dir, "not-a-socket");
    await writeFile(file, "keep me");
    await expect(listenForLinks(file, () => undefined)).rejects.toThrow(/not a socket/);
  });

  it("keeps socket paths short enough for the OS", () => {
    expect(linkSocketPath("/home/u/.local/share/caller-desktop", {})).toBe("/home/u/.local/share/caller-desktop/link.sock");
    const long = linkSocketPath(`/home/u/${"x".repeat(120)}`, { XDG_RUNTIME_DIR: "/run/user/1000" });
    expect(long).toMatch(/^\/run\/user\/1000\/caller-desktop-[0-9a-f]{16}\.sock$/);
  });
});

/** A process that listens on `path` and is killed with SIGKILL, so its socket file stays. */
async function leaveStaleSocket(path: string): Promise<void> {
  const script = `const p=${JSON.stringify(path)};require("net").createServer().listen(p,()=>{require("fs").chmodSync(p,0o600);console.log("up")})`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGKILL");
  await exited;
}

async function rawExchange(path: string, text: string): Promise<string> {
  const { createConnection } = await import("node:net");
  return new Promise((resolve, reject) => {
    let answer = "";
    const socket = createConnection(path, () => socket.write(text));
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (answer += chunk));
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
  });
}
