import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { connect, createServer, type Server, type Socket } from "node:net";
import { dirname, join, resolve } from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { decode } from "node-wav";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceLog } from "../calls/calls-service";
import { originate } from "../pbx/ami-originate";
import { parseEnvLines } from "../pbx/pbx-server-config";
import { startAnsweringFarEnd, type AnsweringFarEnd } from "../pbx/testing/sip-answering-far-end";
import { startAmiRig, type AmiRig, type RigUser } from "../test-support/ami-rig";
import { startSwift, type SwiftInstance } from "../test-support/swift";
import { demoCredentials } from "../test-support/test-server";
import { updateRecordingSettings } from "./recording-settings-repo";
import type { RecordingStorage } from "./recording-storage";
import { shipperConfig, startRecordingShipper } from "./shipper/recording-shipper";
import { insertCall, toneWav } from "./testing/recording-fixtures";

// Scale mode's recording path with real parts: Asterisk writes MixMonitor's files into its own
// spool; the server is given no spool at all (no PBX_RECORDINGS_DIR, storage in Swift's S3), so
// the only way a recording can reach it is the shipper beside Asterisk sending it over HTTP.
const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
let swift: SwiftInstance;
let storage: RecordingStorage;
let rig: AmiRig<AnsweringFarEnd>;
let sales: RigUser;
let bundleDir: string;
let bundle: string;
const problems: string[] = [];
const log: ServiceLog = {
  info: () => undefined,
  warn: (details, message) => problems.push(`${message} ${JSON.stringify(details)}`),
  error: (details, message) => problems.push(`${message} ${JSON.stringify(details)}`),
};

beforeAll(async () => {
  swift = await startSwift(`vt-s3rec-ship-${process.pid}`);
  storage = swift.storage(await swift.createBucket("calls"));
  rig = await startAmiRig({
    name: "vt-s3rec-ship",
    trunkFarEnd: (port) => startAnsweringFarEnd(port, () => ({ kind: "answer", ringMs: 200, hangUpAfterMs: 3_000 })),
    recordings: { storage, pbx: null },
  });
  sales = await rig.user(demoCredentials.sales);
  await updateRecordingSettings(rig.server.db, sales.companyId, { enabled: true, enforced: true, consentAnnouncement: false, source: "pbx" });
  // The shipper as it is deployed: its own process, bundled like scripts/build.mjs does (npm packages from the repo's node_modules).
  bundleDir = await mkdtemp(join(tmpdir(), "caller-shipper-"));
  await symlink(join(repo, "node_modules"), join(bundleDir, "node_modules"), "dir");
  bundle = join(bundleDir, "recording-shipper.mjs");
  await build({ entryPoints: [join(repo, "src-server/recordings/shipper/shipper-main.ts")], bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", outfile: bundle, logLevel: "warning" });
}, 180_000);

afterAll(async () => {
  await rig?.stop();
  await swift?.stop();
  if (bundleDir !== undefined) await rm(bundleDir, { recursive: true, force: true });
});

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

interface RecordingRow {
  id: number;
  storage_key: string;
  size_bytes: number;
  duration_ms: number;
}

const recordingsOfCall = (callId: number): Promise<RecordingRow[]> => rig.server.db("recordings").where({ call_id: callId }).select<RecordingRow[]>("id", "storage_key", "size_bytes", "duration_ms");
const spoolFiles = async (dir: string, prefix: string): Promise<string[]> => (await readdir(dir).catch(() => [] as string[])).filter((name) => name.startsWith(prefix));
const rms = (samples: Float32Array): number => Math.sqrt(samples.reduce((sum, s) => sum + s * s, 0) / Math.max(1, samples.length));

describe("MixMonitor's recordings reach S3 through the shipper, the server sharing no disk with Asterisk", () => {
  it("a recorded call is stored in Swift once, leaves the spool, and plays back through the server with Range", async () => {
    const pbxEnv = join(rig.pbx.facts.runtimeDir, "pbx.env");
    const shipper = startRecordingShipper(shipperConfig(["--pbx-env", pbxEnv, "--sweep-seconds", "60"]), log);
    try {
      const clientCallId = randomUUID();
      // The user's side plays a prompt into the call (their "voice"); the far end answers and hangs up after 3 s.
      await originate(rig.ami, {
        channel: "Local/+12015550141@from-users",
        application: "Playback",
        data: "demo-congrats",
        variables: { CALLER_ENDPOINT: sales.endpointId, CALLER_CLIENT_CALL_ID: clientCallId },
      });
      const callRow = () => rig.server.db("calls").where({ client_call_id: clientCallId }).first<{ id: number; pbx_uniqueid: string; status: string; answered_at: number; ended_at: number } | undefined>();
      await expect.poll(async () => (await callRow())?.status, { timeout: 20_000, interval: 20 }).toBe("ended");
      const endedOnServerAt = Date.now();
      const call = (await callRow())!;
      const hungUpAt = rig.farCall("+12015550141")?.endedAt ?? call.ended_at;

      const token = await tokenForAdmin();
      let playableAt = 0;
      await expect
        .poll(
          async () => {
            const [row] = await recordingsOfCall(call.id);
            if (row === undefined) return false;
            const reply = await rig.server.app.inject({ method: "GET", url: `/api/recordings/${row.id}/audio`, headers: { authorization: `Bearer ${token}`, range: "bytes=0-43" } });
            playableAt = Date.now();
            return reply.statusCode === 206;
          },
          { timeout: 20_000, interval: 50 },
        )
        .toBe(true);
      const rows = await recordingsOfCall(call.id);
      const { created_at: storedAt } = await rig.server.db("recordings").where({ call_id: call.id }).first<{ created_at: number }>("created_at");
      console.log(`shipper: hangup → call ended on the server ${endedOnServerAt - hungUpAt} ms → recording received by a server ${storedAt - hungUpAt} ms → playable ${playableAt - hungUpAt} ms`);

      expect(rows).toHaveLength(1);
      const row = rows[0]!;
      // The shipper deletes the files once the server's answer reaches it, a moment after the row is visible here.
      await expect.poll(() => spoolFiles(rig.pbx.facts.recordingsDir, call.pbx_uniqueid), { timeout: 10_000 }).toEqual([]);
      expect(await storage.size(row.storage_key)).toBe(row.size_bytes);
      expect(Math.abs(row.duration_ms - (call.ended_at - call.answered_at)), `recording ${row.duration_ms} ms, call ${call.ended_at - call.answered_at} ms`).toBeLessThanOrEqual(500);

      const stored = await readAll(storage.read(row.storage_key));
      const wav = decode(stored);
      expect(wav.channelData).toHaveLength(2);
      expect(rms(wav.channelData[0]!), "the user's side carries the prompt").toBeGreaterThan(0.01);

      const part = await rig.server.app.inject({ method: "GET", url: `/api/recordings/${row.id}/audio`, headers: { authorization: `Bearer ${token}`, range: "bytes=1000-9999" } });
      expect(part.statusCode).toBe(206);
      expect(part.headers["content-range"]).toBe(`bytes 1000-9999/${stored.length}`);
      expect(part.rawPayload.equals(stored.subarray(1000, 10_000))).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await shipper.stop();
    }
  }, 60_000);

  it("a shipper killed mid-upload sends the recording again when it starts: one recording, no file left, a replay changes nothing", async () => {
    const call = await insertCall(rig.server.db, sales);
    const spool = join(rig.pbx.facts.runtimeDir, `vt-spool-${process.pid}`);
    await mkdir(spool, { recursive: true, mode: 0o700 });
    // A minute each side: a 1.9 MB two-channel WAV, sent through a relay slow enough to be killed during it.
    const user = toneWav(60, 0.4);
    const other = toneWav(60, 0.2, 8000, 660);
    await writeFile(join(spool, `${call.uniqueid}-user.wav`), user);
    await writeFile(join(spool, `${call.uniqueid}-other.wav`), other);
    await writeFile(join(spool, `${call.uniqueid}.wav`), user);
    const facts = parseEnvLines(await readFile(join(rig.pbx.facts.runtimeDir, "pbx.env"), "utf8"));
    const envFile = join(spool, "..", `vt-shipper-${process.pid}.env`);
    await writeFile(envFile, Object.entries({ ...facts, PBX_RECORDINGS_DIR: spool }).map(([k, v]) => `${k}=${v}\n`).join(""), { mode: 0o600 });
    await chmod(envFile, 0o600);
    const server = rig.server.url!;
    const relay = await slowRelay(Number(new URL(server).port), 256 * 1024);
    try {
      const first = runShipper(["--pbx-env", envFile, "--server", `http://127.0.0.1:${relay.port}`]);
      await expect.poll(() => relay.bytesUp(), { timeout: 20_000, interval: 20 }).toBeGreaterThan(300_000);
      first.kill("SIGKILL");
      await new Promise((done) => first.once("exit", done));
      expect(await recordingsOfCall(call.id)).toEqual([]);
      expect((await spoolFiles(spool, call.uniqueid)).sort()).toHaveLength(3);

      const second = runShipper(["--pbx-env", envFile, "--server", server]);
      try {
        await expect.poll(async () => (await recordingsOfCall(call.id)).length, { timeout: 20_000 }).toBe(1);
        await expect.poll(() => spoolFiles(spool, call.uniqueid), { timeout: 10_000 }).toEqual([]);
      } finally {
        second.kill("SIGTERM");
        await new Promise((done) => second.once("exit", done));
      }
      const [row] = await recordingsOfCall(call.id);
      expect(row).toMatchObject({ duration_ms: 60_000 });
      expect(await storage.size(row!.storage_key)).toBe(row!.size_bytes);

      // Killed after the server stored it but before the files went: they come back, and are only dropped.
      const changes = await rig.server.db("changes").count<{ n: number }[]>({ n: "*" });
      await writeFile(join(spool, `${call.uniqueid}-user.wav`), user);
      await writeFile(join(spool, `${call.uniqueid}-other.wav`), other);
      const third = runShipper(["--pbx-env", envFile, "--server", server]);
      try {
        await expect.poll(() => spoolFiles(spool, call.uniqueid), { timeout: 15_000 }).toEqual([]);
      } finally {
        third.kill("SIGTERM");
        await new Promise((done) => third.once("exit", done));
      }
      expect(await recordingsOfCall(call.id)).toEqual([row]);
      expect(await rig.server.db("changes").count<{ n: number }[]>({ n: "*" })).toEqual(changes);
    } finally {
      await relay.close();
      await rm(spool, { recursive: true, force: true });
      await rm(envFile, { force: true });
    }
  }, 90_000);

  it("refuses a pbx.env others can read, saying so, before doing anything", async () => {
    const file = join(rig.pbx.facts.runtimeDir, `vt-open-${process.pid}.env`);
    await copyFile(join(rig.pbx.facts.runtimeDir, "pbx.env"), file);
    await chmod(file, 0o644);
    try {
      expect(() => shipperConfig(["--pbx-env", file])).toThrow(/readable by others \(mode 0644\); chmod 600 it/);
    } finally {
      await rm(file, { force: true });
    }
  });
});

async function tokenForAdmin(): Promise<string> {
  return rig.server.sessionFor(demoCredentials.admin);
}

function runShipper(args: string[]): ChildProcess {
  const child = spawn(process.execPath, [bundle, ...args], { stdio: ["ignore", "ignore", "pipe"] });
  child.stderr?.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (/"level":"(warn|error)"/.test(line) && !line.includes("AMI not connected")) problems.push(line);
  });
  return child;
}

/** A relay to the server that passes requests at `bytesPerSecond`, and counts what it passed. */
async function slowRelay(targetPort: number, bytesPerSecond: number): Promise<{ port: number; bytesUp(): number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let passed = 0;
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, "127.0.0.1");
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => socket.destroy());
      socket.on("close", () => sockets.delete(socket));
    }
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.on("data", (chunk: Buffer) => {
      passed += chunk.length;
      upstream.write(chunk);
      client.pause();
      setTimeout(() => client.resume(), (chunk.length / bytesPerSecond) * 1000);
    });
    upstream.pipe(client);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  return {
    port: typeof address === "object" && address !== null ? address.port : 0,
    bytesUp: () => passed,
    close: () =>
      new Promise((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}
