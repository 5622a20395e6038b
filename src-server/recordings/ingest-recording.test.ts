import { readdir, readFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decode } from "node-wav";
import { CallerError } from "../../src-shared/errors";
import { findUserByEmail } from "../db/users-repo";
import { seedDemo, demoCredentials } from "../seed/demo";
import { openSqliteTestDb, type TestDb } from "../test-support/test-db";
import { ingestRecording } from "./ingest-recording";
import { directoryStorage } from "./recording-storage";
import { insertCall, tempDir, toneWav, type TempDir } from "./testing/recording-fixtures";

let test: TestDb;
let source: TempDir;
let store: TempDir;
let sales: { id: number; companyId: number };
const now = 1_700_000_010_000;

beforeEach(async () => {
  test = await openSqliteTestDb();
  await seedDemo(test.db, now);
  sales = (await findUserByEmail(test.db, demoCredentials.sales.email))!;
  source = await tempDir("caller-rec-src-");
  store = await tempDir("caller-rec-store-");
});

afterEach(async () => {
  await test.close();
  await source.remove();
  await store.remove();
});

async function storedFiles(): Promise<string[]> {
  return (await readdir(store.path, { recursive: true })).filter((name) => name.endsWith(".wav"));
}

describe("ingesting a call's recording", () => {
  it("makes one two-channel WAV from MixMonitor's side files: the user on channel 0, the other party on channel 1", async () => {
    const call = await insertCall(test.db, sales);
    const user = await source.file(`${call.uniqueid}-user.wav`, toneWav(3, 0.5));
    const other = await source.file(`${call.uniqueid}-other.wav`, toneWav(2.9, 0));
    const result = await ingestRecording(test.db, directoryStorage(store.path), { uniqueid: call.uniqueid, user, other }, now);
    if (result.status !== "ingested") throw new Error(`not ingested: ${result.status}`);
    const { recording } = result;
    expect(recording).toMatchObject({ callId: call.id, userId: sales.id, channels: 2, sampleRate: 8000, durationMs: 3000 });

    const bytes = await readFile(join(store.path, recording.storageKey));
    expect(recording.sizeBytes).toBe(bytes.length);
    expect(recording.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    const wav = decode(bytes);
    expect(wav.channelData).toHaveLength(2);
    const peak = (samples: Float32Array) => samples.reduce((max, s) => Math.max(max, Math.abs(s)), 0);
    expect(peak(wav.channelData[0]!)).toBeCloseTo(0.5, 2);
    expect(peak(wav.channelData[1]!)).toBe(0);
    // The shorter side is padded with silence: both channels last the whole call.
    expect(wav.channelData[1]!.length).toBe(24_000);

    expect(recording.peaks).toHaveLength(2);
    expect(recording.peaks[0]).toHaveLength(1000);
    expect(Math.max(...recording.peaks[0]!.map(([, max]) => max))).toBeCloseTo(0.5, 2);
    expect(recording.peaks[1]!.every(([min, max]) => min === 0 && max === 0)).toBe(true);

    const change = await test.db("changes").where({ entity: "call", entity_id: String(call.id) }).first<{ data: string; audience_user_id: number }>();
    expect(JSON.parse(change.data)).toMatchObject({ id: String(call.id), recordingId: String(recording.id) });
    expect(change.audience_user_id).toBe(sales.id);
  });

  it("re-ingesting the same call is a no-op: same row, same file, no second change", async () => {
    const call = await insertCall(test.db, sales);
    const files = { uniqueid: call.uniqueid, user: await source.file("u.wav", toneWav(1, 0.2)), other: await source.file("o.wav", toneWav(1, 0.3)) };
    const storage = directoryStorage(store.path);
    const first = await ingestRecording(test.db, storage, files, now);
    const again = await ingestRecording(test.db, storage, files, now + 1000);
    expect(first.status).toBe("ingested");
    expect(again.status).toBe("exists");
    if (first.status !== "ingested" || again.status !== "exists") return;
    expect(again.recording.id).toBe(first.recording.id);
    expect(await test.db("recordings").count({ n: "*" }).first()).toEqual({ n: 1 });
    expect(await storedFiles()).toHaveLength(1);
    expect(await test.db("changes").where({ entity: "call" }).count({ n: "*" }).first()).toEqual({ n: 1 });
  });

  it("refuses a broken WAV with a clear error and stores nothing", async () => {
    const call = await insertCall(test.db, sales);
    const bad = await source.file(`${call.uniqueid}-user.wav`, Buffer.from("RIFF\u0000\u0000\u0000\u0000WAVEnot really a wave file"));
    const good = await source.file(`${call.uniqueid}-other.wav`, toneWav(1, 0.1));
    const attempt = ingestRecording(test.db, directoryStorage(store.path), { uniqueid: call.uniqueid, user: bad, other: good }, now);
    await expect(attempt).rejects.toThrow(CallerError);
    await expect(attempt).rejects.toThrow(/-user\.wav is not a readable WAV file/);
    expect(await test.db("recordings").count({ n: "*" }).first()).toEqual({ n: 0 });
    expect(await storedFiles()).toEqual([]);
  });

  it("refuses a WAV at a sample rate MixMonitor never writes", async () => {
    const call = await insertCall(test.db, sales);
    const odd = await source.file("odd.wav", toneWav(0.5, 0.1, 11_025));
    await expect(ingestRecording(test.db, directoryStorage(store.path), { uniqueid: call.uniqueid, mix: odd }, now)).rejects.toThrow(/sample rate of 11025 Hz/);
  });

  it("waits for the call's end, and leaves files of calls it does not know", async () => {
    const live = await insertCall(test.db, sales, "authorized");
    const mix = await source.file("live.wav", toneWav(1, 0.1));
    const storage = directoryStorage(store.path);
    expect(await ingestRecording(test.db, storage, { uniqueid: live.uniqueid, mix }, now)).toEqual({ status: "not_ended" });
    expect(await ingestRecording(test.db, storage, { uniqueid: "1999999999.1", mix }, now)).toEqual({ status: "no_call" });
    expect(await storedFiles()).toEqual([]);
  });

  it("takes the mono mix when the side files are missing", async () => {
    const call = await insertCall(test.db, sales);
    const mix = await source.file(`${call.uniqueid}.wav`, toneWav(2, 0.25));
    const result = await ingestRecording(test.db, directoryStorage(store.path), { uniqueid: call.uniqueid, mix }, now);
    expect(result.status === "ingested" && result.recording).toMatchObject({ channels: 1, durationMs: 2000 });
  });
});
