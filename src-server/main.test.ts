import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HistoryCall } from "../src-shared/api/contract";
import type { SignInReply } from "../src-shared/server-api/auth";
import type { ChangesReply } from "../src-shared/server-api/changes";
import type { CreditsSummary, LedgerReply } from "../src-shared/server-api/credits";
import type { SipConfig } from "../src-shared/server-api/sip";
import { freeTcpPort, freeUdpPort, killAsterisk, portsOf, startAsterisk } from "../e2e/support/asterisk";
import { readRow } from "../e2e/support/sqlite-read";
import { AmiClient } from "./pbx/ami-client";
import { originate } from "./pbx/ami-originate";
import { startAnsweringFarEnd } from "./pbx/testing/sip-answering-far-end";
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
    // As in dist/server: the import worker's bundle beside the server's.
    await build({ entryPoints: [fileURLToPath(new URL("./imports/import-worker.ts", import.meta.url))], bundle: true, platform: "node", format: "esm", packages: "external", outfile: join(dir, "import-worker.mjs"), logLevel: "error" });
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

  const signIn = (url: string, credentials: { email: string; password: string } = demoCredentials.admin) =>
    fetch(`${url}/api/auth/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(credentials) });

  it("starts on a free port with a seeded demo, answers over HTTP and stops cleanly on SIGTERM", async () => {
    const db = join(dir, "data", "server.sqlite");
    const first = await start(["--port", "0", "--db", db, "--seed-demo"]);
    expect((await fetch(`${first.url}/api/health`)).status).toBe(200);
    expect(first.stdout()).toContain("calls disabled: no PBX configured");
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

  it("killed with SIGKILL during a call, it records the call exactly once when it starts again (from Asterisk's CDR store)", async () => {
    const port = await freeTcpPort();
    const testTrunk = await freeUdpPort();
    const farEnd = await startAnsweringFarEnd(testTrunk, () => ({ kind: "answer", ringMs: 200, hangUpAfterMs: 2_500 }));
    const pbx = await startAsterisk({ instance: `vt-main-${process.pid}`, serverUrl: `http://127.0.0.1:${port}`, authorizeSecret: randomBytes(24).toString("hex"), ports: { testTrunk } });
    const { amiHost, amiPort, amiUser, amiSecret } = pbx.facts;
    const ami = new AmiClient({ host: amiHost, port: amiPort, username: amiUser, secret: amiSecret });
    const args = ["--port", String(port), "--db", join(dir, "pbx", "server.sqlite"), "--seed-demo", "--pbx-env", join(pbx.facts.runtimeDir, "pbx.env")];
    let server: Running | undefined;
    try {
      server = await start(args);
      await expect.poll(() => server?.stdout()).toContain(`pbx authorize url http://127.0.0.1:${port}/pbx/authorize\n`);
      const { token } = (await (await signIn(server.url, demoCredentials.sales)).json()) as SignInReply;
      const auth = { authorization: `Bearer ${token}` };
      const { username } = (await (await fetch(`${server.url}/api/sip/config`, { headers: auth })).json()) as SipConfig;
      await ami.connect();
      await originate(ami, { channel: "Local/+12015550123@from-users", application: "Wait", data: "20", variables: { CALLER_ENDPOINT: username, CALLER_CLIENT_CALL_ID: randomUUID() } });
      await expect.poll(() => farEnd.calls[0]?.answeredAt ?? null, { timeout: 10_000 }).not.toBeNull();
      server.child.kill("SIGKILL");
      await server.exited;
      await expect.poll(() => farEnd.calls[0]?.endedAt ?? null, { timeout: 10_000 }).not.toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 300));

      server = await start(args);
      const calls = async (): Promise<HistoryCall[]> => {
        const feed = (await (await fetch(`${server!.url}/api/changes?limit=5000`, { headers: auth })).json()) as ChangesReply;
        return feed.changes.filter((c) => c.entity === "call").map((c) => c.data as HistoryCall);
      };
      await expect.poll(async () => (await calls()).at(-1)?.disposition, { timeout: 10_000 }).toBe("answered");
      const seen = await calls();
      expect(new Set(seen.map((c) => c.id)).size).toBe(1);
      expect(seen.map((c) => c.disposition)).toEqual(["in_progress", "answered"]);
      expect(seen.at(-1)?.billedSeconds).toBeGreaterThanOrEqual(2);
    } finally {
      ami.close();
      server?.child.kill("SIGTERM");
      await server?.exited;
      await pbx.stop({ purge: true });
      await farEnd.close();
    }
  }, 60_000);

  it("Asterisk killed with SIGKILL mid-call and the server killed while it is down: once both are back the call is interrupted, charged once up to Asterisk's death, its hold released", async () => {
    const port = await freeTcpPort();
    const testTrunk = await freeUdpPort();
    const farEnd = await startAnsweringFarEnd(testTrunk, () => ({ kind: "answer", ringMs: 200, hangUpAfterMs: 120_000 }));
    const options = { instance: `vt-main-lost-${process.pid}`, serverUrl: `http://127.0.0.1:${port}`, authorizeSecret: randomBytes(24).toString("hex"), ports: { testTrunk } };
    let pbx = await startAsterisk(options);
    const { amiHost, amiPort, amiUser, amiSecret } = pbx.facts;
    const ami = new AmiClient({ host: amiHost, port: amiPort, username: amiUser, secret: amiSecret });
    const args = ["--port", String(port), "--db", join(dir, "lost", "server.sqlite"), "--seed-demo", "--pbx-env", join(pbx.facts.runtimeDir, "pbx.env")];
    let server: Running | undefined;
    try {
      server = await start(args);
      await expect.poll(() => server?.stdout()).toContain("pbx authorize url");
      const sales = { authorization: `Bearer ${((await (await signIn(server.url, demoCredentials.sales)).json()) as SignInReply).token}` };
      const admin = { authorization: `Bearer ${((await (await signIn(server.url)).json()) as SignInReply).token}` };
      const { username } = (await (await fetch(`${server.url}/api/sip/config`, { headers: sales })).json()) as SipConfig;
      await ami.connect();
      await originate(ami, { channel: "Local/+12015550123@from-users", application: "Wait", data: "120", variables: { CALLER_ENDPOINT: username, CALLER_CLIENT_CALL_ID: randomUUID() } });
      await expect.poll(() => farEnd.calls[0]?.answeredAt ?? null, { timeout: 10_000 }).not.toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      ami.close();
      const killedAt = await killAsterisk(pbx.facts);
      // The server notes the loss (the only thing that survives it), then dies too.
      const lostAt = () => readRow<{ lost_at: number | null }>(join(dir, "lost", "server.sqlite"), "select lost_at from pbx_liveness")?.lost_at ?? null;
      await expect.poll(lostAt, { timeout: 5_000 }).not.toBeNull();
      server.child.kill("SIGKILL");
      await server.exited;
      pbx = await startAsterisk({ ...options, ports: portsOf(pbx.facts) });
      await new Promise((resolve) => setTimeout(resolve, 2_000));

      server = await start(args);
      const url = server.url;
      const calls = async (): Promise<HistoryCall[]> => {
        const feed = (await (await fetch(`${url}/api/changes?limit=5000`, { headers: sales })).json()) as ChangesReply;
        return feed.changes.filter((c) => c.entity === "call").map((c) => c.data as HistoryCall);
      };
      await expect.poll(async () => (await calls()).at(-1)?.disposition, { timeout: 15_000 }).toBe("interrupted");
      const call = (await calls()).at(-1)!;
      const expectedSeconds = (killedAt - farEnd.calls[0]!.answeredAt!) / 1000;
      expect(Math.abs(call.billedSeconds - expectedSeconds), `billed ${call.billedSeconds} s, ${expectedSeconds} s from answer to kill`).toBeLessThanOrEqual(1);
      expect(call.costMicros).toBeGreaterThan(0);
      const ledger = (await (await fetch(`${url}/api/credits/ledger?kind=call_charge`, { headers: admin })).json()) as LedgerReply;
      const entries = ledger.entries.filter((e) => e.callId === call.id);
      expect(entries.map((e) => e.billedSeconds)).toEqual([call.billedSeconds]);
      expect(entries.reduce((sum, e) => sum - e.amountMicros, 0)).toBe(call.costMicros);
      const summary = (await (await fetch(`${url}/api/credits`, { headers: admin })).json()) as CreditsSummary;
      expect(summary.reservedMicros).toBe(0);
    } finally {
      ami.close();
      server?.child.kill("SIGTERM");
      await server?.exited;
      await pbx.stop({ purge: true });
      await farEnd.close();
    }
  }, 90_000);

  it("exits 2 with the usage on a bad flag", async () => {
    const child = spawn(process.execPath, [bundle, "--port", "99999"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(2);
    expect(err).toMatch(/--port must be 0-65535.*\nUsage: server /);
  }, 15_000);
});
