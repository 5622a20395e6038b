// Recordings on S3 (a private Swift with s3api on loopback, scripts/swift.sh) against the directory:
// store throughput by size (PutObject, multipart above 8 MiB), and playback read two ways: through
// the server's /audio route (what ships: access checked per request, Range passed on) and straight
// from the store (what a redirect to a presigned URL would cost at best).
//   npm run bench -- recordings-s3-bench
import { createHash, randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import type { Readable } from "node:stream";
import { buildServer } from "../src-server/build-server";
import { findUserByEmail } from "../src-server/db/users-repo";
import { storeCallRecording } from "../src-server/recordings/ingest-recording";
import { directoryStorage, recordingKey, type RecordingStorage } from "../src-server/recordings/recording-storage";
import { insertCall, tempDir, tokenFor } from "../src-server/recordings/testing/recording-fixtures";
import { demoCredentials, seedDemo } from "../src-server/seed/demo";
import { startSwift } from "../src-server/test-support/swift";
import { openSqliteTestDb } from "../src-server/test-support/test-db";
import { decodeWav } from "../src-server/recordings/wav-audio";
import { encode } from "node-wav";
import { formatTable, median } from "./run";

const mib = 1024 * 1024;
const sizes = [1 * mib, 16 * mib, 64 * mib];
const repetitions = 3;

async function drain(stream: Readable): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Uint8Array).length;
  return bytes;
}

async function putRate(storage: RecordingStorage, size: number): Promise<number> {
  const rates: number[] = [];
  for (let i = 0; i < repetitions; i += 1) {
    const bytes = randomBytes(size);
    const key = recordingKey(1, createHash("sha256").update(bytes).digest("hex"));
    const started = performance.now();
    await storage.put(key, bytes);
    rates.push(size / mib / ((performance.now() - started) / 1000));
  }
  return median(rates);
}

/** A stereo 8 kHz 16-bit WAV as the PBX path stores it, `minutes` long. */
function callWav(minutes: number): Buffer {
  const frames = minutes * 60 * 8000;
  const user = new Float32Array(frames);
  const other = new Float32Array(frames);
  for (let i = 0; i < frames; i += 1) {
    user[i] = 0.3 * Math.sin((2 * Math.PI * 440 * i) / 8000);
    other[i] = 0.2 * Math.sin((2 * Math.PI * 660 * i) / 8000);
  }
  return encode([user, other], { sampleRate: 8000, bitDepth: 16 });
}

async function main(): Promise<void> {
  const swift = await startSwift(`bench-s3rec-${process.pid}`);
  const dir = await tempDir("caller-s3-bench-");
  try {
    const s3 = swift.storage(await swift.createBucket("bench"));
    const directory = directoryStorage(dir.path);

    const putRows: string[][] = [];
    for (const size of sizes) {
      const [onDisk, onS3] = [await putRate(directory, size), await putRate(s3, size)];
      putRows.push([`${size / mib} MiB`, onDisk.toFixed(1), onS3.toFixed(1)]);
    }
    console.log("\nstore (put) throughput, MiB/s, median of 3 (directory: write+fsync+rename; S3: PutObject, multipart of 8 MiB parts ×4 above 8 MiB)");
    console.log(formatTable(["size", "directory", "S3 (Swift)"], putRows));

    // Playback: one 60-minute call (55 MiB) stored on S3, read through the server and straight from the store.
    const test = await openSqliteTestDb();
    const now = Date.now();
    await seedDemo(test.db, now);
    const sales = (await findUserByEmail(test.db, demoCredentials.sales.email))!;
    const call = await insertCall(test.db, sales);
    const bytes = callWav(60);
    const stored = await storeCallRecording(test.db, s3, { id: call.id, companyId: sales.companyId, userId: sales.id, pbxUniqueid: call.uniqueid, status: "ended" }, decodeWav(bytes, "bench"), bytes, now);
    if (stored.status !== "ingested") throw new Error(stored.status);
    const app = buildServer({ db: test.db, recordings: { storage: s3, pbx: null } });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/recordings/${stored.recording.id}/audio`;
    const token = await tokenFor(test.db, demoCredentials.sales.email, now);
    const key = stored.recording.storageKey;

    const seeks: Record<"server" | "direct", number[]> = { server: [], direct: [] };
    const whole: Record<"server" | "direct", number[]> = { server: [], direct: [] };
    for (let i = 0; i < 30; i += 1) {
      const start = Math.floor(Math.random() * (bytes.length - 65_536));
      let t = performance.now();
      const reply = await fetch(url, { headers: { authorization: `Bearer ${token}`, range: `bytes=${start}-${start + 65_535}` } });
      if (reply.status !== 206 || (await reply.arrayBuffer()).byteLength !== 65_536) throw new Error(`server range: ${reply.status}`);
      seeks.server.push(performance.now() - t);
      t = performance.now();
      if ((await drain(s3.read(key, { start, end: start + 65_535 }))) !== 65_536) throw new Error("direct range");
      seeks.direct.push(performance.now() - t);
    }
    for (let i = 0; i < repetitions; i += 1) {
      let t = performance.now();
      const reply = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      const n = (await reply.arrayBuffer()).byteLength;
      if (n !== bytes.length) throw new Error(`server whole: ${n}`);
      whole.server.push(bytes.length / mib / ((performance.now() - t) / 1000));
      t = performance.now();
      if ((await drain(s3.read(key))) !== bytes.length) throw new Error("direct whole");
      whole.direct.push(bytes.length / mib / ((performance.now() - t) / 1000));
    }
    const p = (values: number[], q: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))]!;
    console.log(`\nplayback of a 60-minute call (${(bytes.length / mib).toFixed(1)} MiB) stored on S3`);
    console.log(
      formatTable(
        ["read", "64 KiB seek p50 ms", "seek p95 ms", "whole file MiB/s"],
        (["server", "direct"] as const).map((way) => [
          way === "server" ? "through the server (GET /audio, Range)" : "straight from S3 (as a presigned URL at best)",
          median(seeks[way]).toFixed(1),
          p(seeks[way], 0.95).toFixed(1),
          median(whole[way]).toFixed(1),
        ]),
      ),
    );
    await app.close();
    await test.close();
  } finally {
    await swift.stop();
    await dir.remove();
  }
}

await main();
