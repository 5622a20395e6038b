import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SignInReply } from "../src-shared/server-api/auth";
import { demoCredentials } from "./seed/demo";

interface Running {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  exited: Promise<number | null>;
}

/** The server as it ships: bundled by esbuild (static migration list, no directory scan), run by plain node. */
describe("the bundled server process", () => {
  let dir: string;
  let bundle: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "caller-main-"));
    await symlink(fileURLToPath(new URL("../node_modules", import.meta.url)), join(dir, "node_modules"), "dir");
    bundle = join(dir, "server.mjs");
    await build({
      entryPoints: [fileURLToPath(new URL("./main.ts", import.meta.url))],
      bundle: true,
      platform: "node",
      format: "esm",
      packages: "external",
      outfile: bundle,
      logLevel: "error",
    });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function start(args: string[]): Promise<Running> {
    const child = spawn(process.execPath, [bundle, ...args], { cwd: dir, env: { ...process.env, DATABASE_URL: "" }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`no "listening on" line within 15 s; stderr: ${err}`));
      }, 15_000);
      child.stdout.on("data", () => {
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
        if (match?.[1] === undefined) return;
        clearTimeout(timer);
        resolve({ child, url: match[1], stdout: () => out, exited });
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code} before listening; stderr: ${err}`));
      });
    });
  }

  const signIn = (url: string) =>
    fetch(`${url}/api/auth/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(demoCredentials.admin) });

  it("starts on a free port with a seeded demo, answers over HTTP and stops cleanly on SIGTERM", async () => {
    const db = join(dir, "data", "server.sqlite");
    const first = await start(["--port", "0", "--db", db, "--seed-demo"]);
    expect((await fetch(`${first.url}/api/health`)).status).toBe(200);
    const reply = await signIn(first.url);
    expect(reply.status).toBe(200);
    const { token, company } = (await reply.json()) as SignInReply;
    expect(company.name).toBe("Demo K.K.");
    const me = await fetch(`${first.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(first.stdout()).toMatch(/stopped\n$/);

    // Restarting on the same file: migrations already ran, the seed is skipped, the session survives.
    const second = await start(["--port", "0", "--db", db, "--seed-demo"]);
    const users = await fetch(`${second.url}/api/admin/users`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await users.json()) as { users: unknown[] }).users).toHaveLength(2);
    second.child.kill("SIGINT");
    expect(await second.exited).toBe(0);
  }, 30_000);

  it("exits 2 with the usage on a bad flag", async () => {
    const child = spawn(process.execPath, [bundle, "--port", "99999"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(2);
    expect(err).toMatch(/--port must be 0-65535.*\nUsage: server /);
  }, 15_000);
});
