import { spawn } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm, symlink } from "node:fs/promises";
import { connect, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordingMeta } from "../../src-shared/server-api/recordings";
import { buildServer } from "../build-server";
import { findUserByEmail } from "../db/users-repo";
import type { App } from "../http/app";
import { demoCredentials, seedDemo } from "../seed/demo";
import { startSwift, type SwiftInstance } from "../test-support/swift";
import { openSqliteTestDb, type TestDb } from "../test-support/test-db";
import { ingestRecording } from "./ingest-recording";
import { directoryStorage, recordingKey, type RecordingStorage } from "./recording-storage";
import { s3Storage, StorageError } from "./s3-storage";
import { insertCall, tempDir, tokenFor, toneWav, type TempDir } from "./testing/recording-fixtures";

// One contract for every place recordings live: a directory (the single-box default) and S3,
// here OpenStack Swift's s3api (scripts/swift.sh) on loopback.
let swift: SwiftInstance;
let dir: TempDir;
const storages: Record<"directory" | "s3", RecordingStorage> = {} as never;
const partSize = 5 * 1024 * 1024;

beforeAll(async () => {
  swift = await startSwift(`vt-s3rec-storage-${process.pid}`);
  dir = await tempDir("caller-storage-");
  storages.directory = directoryStorage(dir.path);
  storages.s3 = swift.storage({ ...(await swift.createBucket("contract")), partSizeBytes: partSize });
}, 120_000);

afterAll(async () => {
  await swift?.stop();
  await dir?.remove();
});

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

const sha = (bytes: Buffer): string => createHash("sha256").update(bytes).digest("hex");
let nextKey = 0;
const freshKey = (): string => recordingKey(7, sha(Buffer.from(`key-${process.pid}-${nextKey++}`)));

describe.each(["directory", "s3"] as const)("recording storage contract: %s", (kind) => {
  const storage = (): RecordingStorage => storages[kind];

  it("a put is read back whole, and its size is its length", async () => {
    const bytes = toneWav(1, 0.3);
    const key = freshKey();
    await storage().put(key, bytes);
    expect(await storage().size(key)).toBe(bytes.length);
    expect((await readAll(storage().read(key))).equals(bytes)).toBe(true);
  });

  it("a range read returns exactly the inclusive byte range: first byte, middle, last byte", async () => {
    const bytes = randomBytes(10_000);
    const key = freshKey();
    await storage().put(key, bytes);
    for (const [start, end] of [[0, 0], [1000, 1999], [9_999, 9_999], [0, 9_999]] as const) {
      expect((await readAll(storage().read(key, { start, end }))).equals(bytes.subarray(start, end + 1)), `${start}-${end}`).toBe(true);
    }
  });

  it("a missing key has no size, and reading it fails with an error naming the key", async () => {
    const key = freshKey();
    expect(await storage().size(key)).toBeNull();
    await expect(readAll(storage().read(key))).rejects.toThrow(key.split("/")[1]!);
  });

  it("a second put of a key replaces it whole", async () => {
    const key = freshKey();
    await storage().put(key, randomBytes(3000));
    const second = randomBytes(1200);
    await storage().put(key, second);
    expect(await storage().size(key)).toBe(second.length);
    expect((await readAll(storage().read(key))).equals(second)).toBe(true);
  });

  it("a recording larger than a part (multipart on S3) is stored and read back byte for byte, ranges across part boundaries too", async () => {
    const bytes = randomBytes(2 * partSize + 123_457);
    const key = freshKey();
    const started = performance.now();
    await storage().put(key, bytes);
    const seconds = (performance.now() - started) / 1000;
    console.log(`${kind}: put of ${(bytes.length / 2 ** 20).toFixed(1)} MiB in ${seconds.toFixed(2)} s (${(bytes.length / 2 ** 20 / seconds).toFixed(1)} MiB/s)`);
    expect(await storage().size(key)).toBe(bytes.length);
    expect(sha(await readAll(storage().read(key)))).toBe(sha(bytes));
    const across = { start: partSize - 10, end: partSize + 10 };
    expect((await readAll(storage().read(key, across))).equals(bytes.subarray(across.start, across.end + 1))).toBe(true);
  });

  it("refuses a key that is not a recording key, before touching anything", async () => {
    await expect(storage().put("../etc/passwd", Buffer.from("x"))).rejects.toThrow(/Not a recording key/);
    await expect(storage().size("c1/../../x.wav")).rejects.toThrow(/Not a recording key/);
  });
});

/** A relay to Swift that lets `budget` bytes of requests through, then cuts every connection and refuses new ones. */
async function cuttingRelay(targetPort: number, budget: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let passed = 0;
  let cut = false;
  const server: Server = createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, "127.0.0.1");
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => socket.destroy());
      socket.on("close", () => sockets.delete(socket));
    }
    client.on("data", (chunk: Buffer) => {
      passed += chunk.length;
      if (passed > budget) {
        cut = true;
        for (const socket of sockets) socket.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    port: typeof address === "object" && address !== null ? address.port : 0,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe("S3 storage failures", () => {
  it("a multipart put cut off after its first part fails with a StorageError and leaves no object", async () => {
    const config = await swift.createBucket("cut");
    const relay = await cuttingRelay(Number(new URL(swift.endpoint).port), partSize + partSize / 2);
    const viaRelay = s3Storage({ ...config, endpoint: `http://127.0.0.1:${relay.port}`, partSizeBytes: partSize, partConcurrency: 1 });
    const key = freshKey();
    try {
      const put = viaRelay.put(key, randomBytes(3 * partSize));
      await expect(put).rejects.toBeInstanceOf(StorageError);
      await expect(put).rejects.toThrow(new RegExp(`S3 multipart upload ${key}`));
    } finally {
      viaRelay.close();
      await relay.close();
    }
    expect(await swift.storage(config).size(key)).toBeNull();
  });

  it("wrong credentials are refused with the store's own words, and never show the secret", async () => {
    const config = await swift.createBucket("denied");
    const wrong = s3Storage({ ...config, credentials: { accessKeyId: config.credentials.accessKeyId, secretAccessKey: "not-the-secret-0123456789" } });
    try {
      const put = wrong.put(freshKey(), Buffer.from("RIFF"));
      await expect(put).rejects.toThrow(/S3 PutObject c7\/[0-9a-f]{64}\.wav: \w+ \(HTTP 403\)/);
      const error = await put.then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error?.message).not.toContain("not-the-secret");
      await expect(wrong.probe()).rejects.toThrow(/S3 HeadBucket denied: .*HTTP 403/);
    } finally {
      wrong.close();
    }
  });

  it("a bucket that does not exist is named by the start-up probe", async () => {
    const missing = swift.storage({ endpoint: swift.endpoint, bucket: "no-such-bucket", region: swift.region, pathStyle: true, credentials: swift.credentials });
    await expect(missing.probe()).rejects.toThrow(/S3 HeadBucket no-such-bucket: .*HTTP 404/);
  });
});

describe("the recordings routes on S3", () => {
  let test: TestDb;
  let app: App;
  let source: TempDir;
  let token: string;
  let recordingId: number;
  let stored: Buffer;
  const now = 1_700_000_010_000;

  beforeAll(async () => {
    test = await openSqliteTestDb();
    await seedDemo(test.db, now);
    source = await tempDir("caller-rec-src-");
    const storage = swift.storage(await swift.createBucket("routes"));
    app = buildServer({ db: test.db, now: () => now, recordings: { storage, pbx: null } });
    await app.ready();
    const sales = (await findUserByEmail(test.db, demoCredentials.sales.email))!;
    token = await tokenFor(test.db, demoCredentials.admin.email, now);
    const call = await insertCall(test.db, sales);
    const result = await ingestRecording(
      test.db,
      storage,
      { uniqueid: call.uniqueid, user: await source.file("u.wav", toneWav(30, 0.4)), other: await source.file("o.wav", toneWav(30, 0.2)) },
      now,
    );
    if (result.status !== "ingested") throw new Error(result.status);
    recordingId = result.recording.id;
    stored = await readAll(storage.read(result.recording.storageKey));
  });

  afterAll(async () => {
    await app?.close();
    await test?.close();
    await source?.remove();
  });

  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: "GET", url, headers: { authorization: `Bearer ${token}`, ...headers } });

  it("the stored object is the ingested recording: its size and sha256 are the row's", async () => {
    const meta = (await get(`/api/recordings/${recordingId}`)).json<RecordingMeta>();
    expect(meta).toMatchObject({ sizeBytes: stored.length, sha256: sha(stored), durationMs: 30_000, channels: 2 });
  });

  it("plays whole and by Range, through the server (206 with Content-Range), and 416 past the end", async () => {
    const whole = await get(`/api/recordings/${recordingId}/audio`);
    expect(whole.statusCode).toBe(200);
    expect(whole.headers["content-length"]).toBe(String(stored.length));
    expect(whole.rawPayload.equals(stored)).toBe(true);

    const part = await get(`/api/recordings/${recordingId}/audio`, { range: "bytes=480000-480999" });
    expect(part.statusCode).toBe(206);
    expect(part.headers["content-range"]).toBe(`bytes 480000-480999/${stored.length}`);
    expect(part.rawPayload.equals(stored.subarray(480_000, 481_000))).toBe(true);

    const tail = await get(`/api/recordings/${recordingId}/audio`, { range: "bytes=-44" });
    expect(tail.rawPayload.equals(stored.subarray(stored.length - 44))).toBe(true);
    expect((await get(`/api/recordings/${recordingId}/audio`, { range: `bytes=${stored.length}-` })).statusCode).toBe(416);
  });

  it("downloads as an attachment, with Range too", async () => {
    const download = await get(`/api/recordings/${recordingId}/download`);
    expect(download.statusCode).toBe(200);
    expect(download.headers["content-disposition"]).toMatch(/^attachment; filename="call-\d+-recording-\d+\.wav"$/);
    expect(download.rawPayload.equals(stored)).toBe(true);
    const resumed = await get(`/api/recordings/${recordingId}/download`, { range: `bytes=${stored.length - 1000}-` });
    expect(resumed.statusCode).toBe(206);
    expect(resumed.rawPayload.equals(stored.subarray(stored.length - 1000))).toBe(true);
  });

  it("a row whose object is gone from the bucket answers 404 with why", async () => {
    const { storage_key: key } = await test.db("recordings").where({ id: recordingId }).first<{ storage_key: string }>("storage_key");
    await test.db("recordings").where({ id: recordingId }).update({ storage_key: recordingKey(1, sha(Buffer.from("gone"))) });
    try {
      const gone = await get(`/api/recordings/${recordingId}/audio`);
      expect(gone.statusCode).toBe(404);
      expect(gone.json()).toMatchObject({ message: "The recording's audio is missing from storage" });
    } finally {
      await test.db("recordings").where({ id: recordingId }).update({ storage_key: key });
    }
  });
});

describe("the bundled server on S3", () => {
  let bundleDir: string;
  beforeAll(async () => {
    bundleDir = await mkdtemp(join(tmpdir(), "caller-main-s3-"));
    await symlink(fileURLToPath(new URL("../../node_modules", import.meta.url)), join(bundleDir, "node_modules"), "dir");
    await build({ entryPoints: [fileURLToPath(new URL("../main.ts", import.meta.url))], bundle: true, platform: "node", format: "esm", packages: "external", outfile: join(bundleDir, "server.mjs"), logLevel: "error" });
    // As in dist/server: the import worker's bundle beside the server's.
    await build({ entryPoints: [fileURLToPath(new URL("../imports/import-worker.ts", import.meta.url))], bundle: true, platform: "node", format: "esm", packages: "external", outfile: join(bundleDir, "import-worker.mjs"), logLevel: "error" });
  }, 60_000);
  afterAll(async () => {
    if (bundleDir !== undefined) await rm(bundleDir, { recursive: true, force: true });
  });

  /** Starts the server with these S3 keys in its environment, stops it once it listens (and had time to probe), and returns everything it printed. */
  async function runServer(args: string[], keys: { id: string; secret: string }): Promise<{ out: string; code: number | null }> {
    const child = spawn(process.execPath, [join(bundleDir, "server.mjs"), "--port", "0", "--db", join(bundleDir, `s-${randomUUID()}.sqlite`), ...args], {
      cwd: bundleDir,
      env: { ...process.env, DATABASE_URL: "", CALLER_S3_ACCESS_KEY_ID: keys.id, CALLER_S3_SECRET_ACCESS_KEY: keys.secret },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once("exit", done));
    await expect.poll(() => out, { timeout: 20_000 }).toContain("listening on");
    await new Promise((done) => setTimeout(done, 1_500));
    child.kill("SIGTERM");
    return { out, code: await exited };
  }

  it("says where recordings go and never prints a key; a refused key is said at start", async () => {
    const config = await swift.createBucket("server");
    const url = `${swift.endpoint}/server`;
    const good = await runServer(["--recordings-s3", url, "--pbx-recordings", "shipper"], { id: config.credentials.accessKeyId, secret: config.credentials.secretAccessKey });
    expect(good.code).toBe(0);
    expect(good.out).toContain(`recordings: S3 ${url} (us-east-1, path-style); PBX recordings from shippers (PUT /pbx/recordings)`);
    expect(good.out).not.toContain("not usable");
    expect(good.out).not.toContain(config.credentials.secretAccessKey);

    const wrong = await runServer(["--recordings-s3", url], { id: config.credentials.accessKeyId, secret: "wrong-secret-0123456789" });
    expect(wrong.out).toMatch(/"err":"S3 HeadBucket server: Forbidden: the keys are wrong, or may not use this bucket \(HTTP 403\)","msg":"recordings: S3 storage is not usable"/);
    expect(wrong.out).not.toContain("wrong-secret-0123456789");
  }, 60_000);
});
