import { createHash } from "node:crypto";
import { readdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { UploadCompleted, UploadConflict, UploadCreateReply } from "../../src-shared/server-api/recordings";
import type { UserRecord } from "../db/users-repo";
import type { App } from "../http/app";
import { demoCredentials } from "../seed/demo";
import type { TestDb } from "../test-support/test-db";
import { insertCall, stereoWav, tokenFor } from "./testing/recording-fixtures";
import { startUploadRig, type UploadRig } from "./testing/upload-rig";
import { UploadFiles } from "./upload-files";
import { sweepUploads, uploadAbandonMs, UploadSweeper, type UploadSweepResult } from "./upload-sweep";

const dayMs = 24 * 60 * 60 * 1000;
const limitMs = 14 * dayMs;
const start = 1_700_000_010_000;
let clock = start;
let rig: UploadRig;
let test: TestDb;
let app: App;
let sales: UserRecord;
let token = "";
const uploadsDir = () => rig.uploadsDir;
const sweep = () => sweepUploads(test.db, new UploadFiles(uploadsDir()), clock, limitMs);

beforeAll(async () => {
  rig = await startUploadRig("caller-upload-sweep-", start, () => clock);
  ({ test, app, sales } = rig);
  token = await tokenFor(test.db, demoCredentials.sales.email, start);
  await test.db("companies").where({ id: sales.companyId }).update({ recording_enabled: true, recording_source: "desktop" });
});

beforeEach(async () => {
  // Each test starts from no uploads at the same moment; sessions outlive the days the tests skip.
  clock = start;
  await test.db("recording_uploads").delete();
  await rm(uploadsDir(), { recursive: true, force: true });
  await test.db("sessions").update({ expires_at: start + 1000 * dayMs });
});

afterAll(async () => {
  await rig?.close();
});

const headers = () => ({ authorization: `Bearer ${token}` });
const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const create = (clientCallId: string, wav: Buffer) =>
  app.inject({ method: "POST", url: "/api/recordings/uploads", headers: headers(), payload: { clientCallId, sizeBytes: wav.length, sha256: sha(wav) } });
const put = (id: string, offset: number, bytes: Buffer) =>
  app.inject({ method: "PUT", url: `/api/recordings/uploads/${id}?offset=${offset}`, headers: { ...headers(), "content-type": "application/octet-stream" }, payload: bytes });
const complete = (id: string) => app.inject({ method: "POST", url: `/api/recordings/uploads/${id}/complete`, headers: headers() });

/** What the desktop's uploadOnce does: start, send from the server's offset (following a 409's), then complete unless told to stop at `upTo`. */
async function uploadLikeTheDesktop(clientCallId: string, wav: Buffer, upTo?: number): Promise<{ id: string; startedAt: number; completed: UploadCompleted | null }> {
  const started = (await create(clientCallId, wav)).json<UploadCreateReply>();
  let offset = started.receivedBytes;
  const id = started.uploadId!;
  const end = upTo ?? wav.length;
  for (let request = 0; request < 100 && offset < end; request += 1) {
    const reply = await put(id, offset, wav.subarray(offset, Math.min(offset + 64 * 1024, end)));
    expect([200, 409], reply.body).toContain(reply.statusCode);
    offset = reply.statusCode === 409 ? reply.json<UploadConflict>().receivedBytes : reply.json<{ receivedBytes: number }>().receivedBytes;
  }
  if (upTo !== undefined) return { id, startedAt: started.receivedBytes, completed: null };
  const done = await complete(id);
  expect(done.statusCode, done.body).toBe(200);
  return { id, startedAt: started.receivedBytes, completed: done.json<UploadCompleted>() };
}

async function partial(wav: Buffer, bytes: number): Promise<{ call: Awaited<ReturnType<typeof insertCall>>; id: string }> {
  const call = await insertCall(test.db, sales);
  const { id } = await uploadLikeTheDesktop(call.clientCallId, wav, bytes);
  return { call, id };
}

const partPath = (id: string | number) => join(uploadsDir(), `upload-${id}.part`);
const partSize = (id: string | number) => stat(partPath(id)).then((s) => s.size, () => null);
const uploadRow = (id: string | number) => test.db("recording_uploads").where({ id: Number(id) }).first<{ received_bytes: number; recording_id: number | null } | undefined>();
const recordingsOf = (callId: number) => test.db("recordings").where({ call_id: callId }).select<{ id: number; sha256: string }[]>("id", "sha256");

describe("the sweep of abandoned desktop uploads", () => {
  it("removes an upload untouched for longer than the limit, row and file, and keeps one moved within it", async () => {
    const wav = stereoWav(3);
    const old = await partial(wav, 128 * 1024);
    clock = start + 10 * dayMs;
    const fresh = await partial(wav, 64 * 1024);

    clock = start + limitMs - 1;
    expect(await sweep()).toEqual({ abandoned: 0, orphans: 0, restarted: 0, bytesFreed: 0 });
    clock = start + limitMs + 1;
    expect(await sweep()).toEqual({ abandoned: 1, orphans: 0, restarted: 0, bytesFreed: 128 * 1024 });

    expect(await uploadRow(old.id)).toBeUndefined();
    expect(await partSize(old.id)).toBeNull();
    expect(await uploadRow(fresh.id)).toMatchObject({ received_bytes: 64 * 1024, recording_id: null });
    expect(await partSize(fresh.id)).toBe(64 * 1024);
  });

  it("never touches a completed upload or its recording, however old", async () => {
    const wav = stereoWav(1);
    const call = await insertCall(test.db, sales);
    const { id, completed } = await uploadLikeTheDesktop(call.clientCallId, wav);
    const stored = await recordingsOf(call.id);
    // A stray .part beside a completed upload's row is not an orphan either: the row is what counts.
    await writeFile(partPath(id), Buffer.alloc(10));

    clock = start + 400 * dayMs;
    expect(await sweep()).toEqual({ abandoned: 0, orphans: 0, restarted: 0, bytesFreed: 0 });
    expect(await uploadRow(id)).toMatchObject({ recording_id: Number(completed!.recordingId) });
    expect(await recordingsOf(call.id)).toEqual(stored);
    expect(stored).toEqual([{ id: Number(completed!.recordingId), sha256: sha(wav) }]);
    const audio = await app.inject({ method: "GET", url: `/api/recordings/${completed!.recordingId}/audio`, headers: headers() });
    expect(audio.statusCode, audio.body.slice(0, 200)).toBe(200);
    expect(audio.rawPayload.equals(wav)).toBe(true);
  });

  it("removes partial files that have no upload row, and only files named like partial uploads", async () => {
    const kept = await partial(stereoWav(1), 4096);
    await writeFile(partPath(987_654), Buffer.alloc(5000));
    await writeFile(join(uploadsDir(), "notes.txt"), "not ours to judge");

    expect(await sweep()).toEqual({ abandoned: 0, orphans: 1, restarted: 0, bytesFreed: 5000 });
    expect((await readdir(uploadsDir())).sort()).toEqual(["notes.txt", `upload-${kept.id}.part`]);
  });

  it("sets back to 0 an upload whose file vanished, so no start claims bytes the server lacks", async () => {
    const wav = stereoWav(1);
    const { call, id } = await partial(wav, 8192);
    await rm(partPath(id));

    // Before any sweep, the next chunk already finds the loss and sends the desktop back to 0.
    const chunk = await put(id, 8192, wav.subarray(8192, 16_384));
    expect(chunk.statusCode).toBe(409);
    expect(chunk.json<UploadConflict>()).toMatchObject({ reason: "offset", receivedBytes: 0 });

    await uploadLikeTheDesktop(call.clientCallId, wav, 8192);
    await rm(partPath(id));
    expect(await sweep()).toEqual({ abandoned: 0, orphans: 0, restarted: 1, bytesFreed: 0 });
    expect((await create(call.clientCallId, wav)).json<UploadCreateReply>()).toEqual({ uploadId: id, receivedBytes: 0, completed: null });
  });

  it("a complete whose file vanished after every byte arrived starts over at 0 instead of failing", async () => {
    const wav = stereoWav(1);
    const call = await insertCall(test.db, sales);
    const { id } = await uploadLikeTheDesktop(call.clientCallId, wav, wav.length);
    await rm(partPath(id));

    const refused = await complete(id);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ reason: "checksum_mismatch" });
    expect(await uploadRow(id)).toMatchObject({ received_bytes: 0 });
    // The desktop's next try, as after any checksum mismatch: from 0, and it lands.
    const again = await uploadLikeTheDesktop(call.clientCallId, wav);
    expect(again).toMatchObject({ id, startedAt: 0, completed: { sha256: sha(wav) } });
    expect(await recordingsOf(call.id)).toHaveLength(1);
  });

  it("a desktop that comes back after its upload was swept sends from 0 and lands exactly one recording", async () => {
    const wav = stereoWav(5);
    const { call, id } = await partial(wav, 192 * 1024);
    clock = start + 20 * dayMs;
    expect((await sweep()).abandoned).toBe(1);

    // Mid-upload with the old id: the row is gone, a 404, and the desktop's next try starts again.
    expect((await put(id, 192 * 1024, wav.subarray(192 * 1024, 256 * 1024))).statusCode).toBe(404);
    const again = await uploadLikeTheDesktop(call.clientCallId, wav);
    expect(again.startedAt).toBe(0);
    expect(again.id).not.toBe(id);
    expect(again.completed?.sha256).toBe(sha(wav));
    expect(await recordingsOf(call.id)).toEqual([{ id: Number(again.completed!.recordingId), sha256: sha(wav) }]);
    expect(await partSize(again.id)).toBeNull();
  });
});

describe("the upload sweeper", () => {
  it("sweeps at start and on its interval, logs one line per sweep that removed something, and stops", async () => {
    const lines: { details: object; message: string }[] = [];
    const log = { info: (details: object, message: string) => lines.push({ details, message }), warn: () => {}, error: (details: object, message: string) => lines.push({ details, message }) };
    await partial(stereoWav(1), 4096);
    clock = start + 15 * dayMs;
    const sweeper = new UploadSweeper({ db: test.db, uploadsDir: uploadsDir(), now: () => clock, log, abandonAfterMs: limitMs, everyMs: 20 });
    sweeper.start();
    const first: UploadSweepResult | null = await sweeper.sweep();
    expect(lines).toEqual([{ details: { abandoned: 1, orphans: 0, restarted: 0, bytesFreed: 4096 }, message: "recording uploads: swept abandoned partial uploads" }]);
    // The sweep asked for while the one at start runs is that same sweep.
    expect(first).toMatchObject({ abandoned: 1 });

    await writeFile(partPath(123_456), Buffer.alloc(77));
    await expect.poll(() => partSize(123_456), { timeout: 2000, interval: 10 }).toBeNull();
    expect(lines[1]?.details).toEqual({ abandoned: 0, orphans: 1, restarted: 0, bytesFreed: 77 });

    await sweeper.stop();
    expect(await sweeper.sweep()).toBeNull();
    await writeFile(partPath(123_457), Buffer.alloc(1));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await partSize(123_457)).toBe(1);
    expect(lines).toHaveLength(2);
  });

  it("reads the limit in whole days, 14 unless given, and refuses anything else", () => {
    expect(uploadAbandonMs(undefined)).toBe(14 * dayMs);
    expect(uploadAbandonMs("")).toBe(14 * dayMs);
    expect(uploadAbandonMs("3")).toBe(3 * dayMs);
    for (const bad of ["0", "-1", "1.5", "two", "99999"]) expect(() => uploadAbandonMs(bad), bad).toThrow(/upload-abandon-days/);
  });
});
