import { createHash } from "node:crypto";
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { decode } from "node-wav";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RecordingMeta, UploadCompleted, UploadConflict, UploadCreateReply } from "../../src-shared/server-api/recordings";
import { authorizeCall } from "../calls/authorize";
import { defaultDestinationPolicy } from "../calls/destination-policy";
import { ensureEndpoint } from "../db/pbx-endpoints-repo";
import type { UserRecord } from "../db/users-repo";
import type { App } from "../http/app";
import { demoCredentials } from "../seed/demo";
import type { TestDb } from "../test-support/test-db";
import { addRegularUser, insertCall, stereoWav, tokenFor, toneWav } from "./testing/recording-fixtures";
import { startUploadRig, type UploadRig } from "./testing/upload-rig";
import { CreditsRuntime } from "../credits/credits-runtime";

const now = 1_700_000_010_000;
let rig: UploadRig;
let test: TestDb;
let app: App;
let sales: UserRecord;
const tokens: Record<"admin" | "sales" | "rita" | "other", string> = { admin: "", sales: "", rita: "", other: "" };
const uploadsDir = () => rig.uploadsDir;

beforeAll(async () => {
  rig = await startUploadRig("caller-upload-store-", now, () => now);
  ({ test, app, sales } = rig);
  await addRegularUser(test.db, sales.companyId, "rita@demo.example", now);
  tokens.admin = await tokenFor(test.db, demoCredentials.admin.email, now);
  tokens.sales = await tokenFor(test.db, demoCredentials.sales.email, now);
  tokens.rita = await tokenFor(test.db, "rita@demo.example", now);
  tokens.other = await tokenFor(test.db, demoCredentials.otherAdmin.email, now);
});

beforeEach(async () => {
  await test.db("companies").where({ id: sales.companyId }).update({ recording_enabled: true, recording_source: "desktop" });
});

afterAll(async () => {
  await rig?.close();
});

type Who = keyof typeof tokens;
const as = (who: Who) => ({ authorization: `Bearer ${tokens[who]}` });
const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

const create = (who: Who, clientCallId: string, wav: Buffer, digest = sha(wav)) =>
  app.inject({ method: "POST", url: "/api/recordings/uploads", headers: as(who), payload: { clientCallId, sizeBytes: wav.length, sha256: digest } });
const put = (who: Who, id: string, offset: number, bytes: Buffer) =>
  app.inject({ method: "PUT", url: `/api/recordings/uploads/${id}?offset=${offset}`, headers: { ...as(who), "content-type": "application/octet-stream" }, payload: bytes });
const complete = (who: Who, id: string) => app.inject({ method: "POST", url: `/api/recordings/uploads/${id}/complete`, headers: as(who) });

async function started(wav: Buffer, digest?: string): Promise<{ call: Awaited<ReturnType<typeof insertCall>>; id: string }> {
  const call = await insertCall(test.db, sales);
  const reply = await create("sales", call.clientCallId, wav, digest);
  expect(reply.statusCode).toBe(200);
  const body = reply.json<UploadCreateReply>();
  expect(body).toMatchObject({ receivedBytes: 0, completed: null });
  return { call, id: body.uploadId! };
}

async function sendAll(id: string, wav: Buffer, from = 0, chunk = 64 * 1024): Promise<void> {
  for (let offset = from; offset < wav.length; offset += chunk) {
    const reply = await put("sales", id, offset, wav.subarray(offset, offset + chunk));
    expect(reply.statusCode, reply.body).toBe(200);
  }
}

const partLength = async (id: string): Promise<number | null> => {
  const names = await readdir(uploadsDir()).catch(() => [] as string[]);
  if (!names.includes(`upload-${id}.part`)) return null;
  return (await readFile(join(uploadsDir(), `upload-${id}.part`))).length;
};
const recordingsOf = (callId: number) => test.db("recordings").where({ call_id: callId }).select<{ id: number; sha256: string; channels: number }[]>("id", "sha256", "channels");

describe("a desktop recording's resumable upload", () => {
  it("resumes from the server's offset after a few chunks, and lands as the call's two-channel recording, byte for byte", async () => {
    const wav = stereoWav(3);
    const { call, id } = await started(wav);
    await sendAll(id, wav.subarray(0, 128 * 1024));

    // The app comes back (a restart, a dropped connection): the same call finds the same upload and its offset.
    const again = await create("sales", call.clientCallId, wav);
    expect(again.json<UploadCreateReply>()).toEqual({ uploadId: id, receivedBytes: 128 * 1024, completed: null });
    await sendAll(id, wav, 128 * 1024);

    const done = await complete("sales", id);
    expect(done.statusCode, done.body).toBe(200);
    const answer = done.json<UploadCompleted>();
    expect(answer.sha256).toBe(sha(wav));

    const [row] = await recordingsOf(call.id);
    expect(row).toMatchObject({ id: Number(answer.recordingId), sha256: sha(wav), channels: 2 });
    const meta = (await app.inject({ method: "GET", url: `/api/recordings/${answer.recordingId}`, headers: as("sales") })).json<RecordingMeta>();
    expect(meta).toMatchObject({ channels: 2, sampleRate: 16_000, durationMs: 3000, sizeBytes: wav.length });
    expect(meta.peaks[0]).toHaveLength(1000);
    const audio = await app.inject({ method: "GET", url: `/api/recordings/${answer.recordingId}/audio`, headers: as("sales") });
    expect(audio.rawPayload.equals(wav)).toBe(true);
    expect(decode(audio.rawPayload).channelData).toHaveLength(2);
    // The same change-feed upsert as a MixMonitor recording: the owner's history learns of it.
    const change = await test.db("changes").where({ entity: "call", entity_id: String(call.id) }).orderBy("seq", "desc").first<{ data: string }>();
    expect(JSON.parse(change.data)).toMatchObject({ recordingId: answer.recordingId });
    expect(await partLength(id)).toBeNull();
  });

  it("a start after the partial file was lost (swept, a disk fault) answers 0, and the upload lands from there", async () => {
    const wav = stereoWav(1);
    const { call, id } = await started(wav);
    await sendAll(id, wav.subarray(0, 20_000), 0, 10_000);
    await rm(join(uploadsDir(), `upload-${id}.part`));
    expect((await create("sales", call.clientCallId, wav)).json<UploadCreateReply>()).toEqual({ uploadId: id, receivedBytes: 0, completed: null });
    await sendAll(id, wav);
    const done = await complete("sales", id);
    expect(done.statusCode, done.body).toBe(200);
    expect((await recordingsOf(call.id)).map((r) => r.sha256)).toEqual([sha(wav)]);
  });

  it("answers a chunk at the wrong offset with 409 and the offset it holds, writing nothing", async () => {
    const wav = stereoWav(1);
    const { id } = await started(wav);
    await sendAll(id, wav.subarray(0, 1000), 0, 1000);
    for (const offset of [0, 500, 2000]) {
      const reply = await put("sales", id, offset, wav.subarray(offset, offset + 1000));
      expect(reply.statusCode).toBe(409);
      expect(reply.json<UploadConflict>()).toMatchObject({ code: "conflict", reason: "offset", receivedBytes: 1000 });
    }
    expect(await partLength(id)).toBe(1000);
    const past = await put("sales", id, 1000, Buffer.alloc(wav.length));
    expect(past.statusCode).toBe(400);
    expect(past.json()).toMatchObject({ code: "bad_request", reason: "upload_chunk_invalid" });
    expect(await partLength(id)).toBe(1000);
    const early = await complete("sales", id);
    expect(early.statusCode).toBe(409);
    expect(early.json<UploadConflict>()).toMatchObject({ reason: "incomplete", receivedBytes: 1000 });
  });

  it("a checksum that does not match is refused and the upload starts over at 0", async () => {
    const wav = stereoWav(1);
    const { call, id } = await started(wav, "0".repeat(64));
    await sendAll(id, wav);
    const refused = await complete("sales", id);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: "bad_request", reason: "checksum_mismatch" });
    expect(await partLength(id)).toBeNull();
    expect((await create("sales", call.clientCallId, wav, "0".repeat(64))).json<UploadCreateReply>().receivedBytes).toBe(0);
    expect(await recordingsOf(call.id)).toEqual([]);

    // Described again with the right checksum: the same upload, from 0, and it lands.
    expect((await create("sales", call.clientCallId, wav)).json<UploadCreateReply>()).toEqual({ uploadId: id, receivedBytes: 0, completed: null });
    await sendAll(id, wav);
    expect((await complete("sales", id)).statusCode).toBe(200);
  });

  it("a replayed complete, and a replayed start, answer with the one recording", async () => {
    const wav = stereoWav(1);
    const { call, id } = await started(wav);
    await sendAll(id, wav);
    const first = (await complete("sales", id)).json<UploadCompleted>();
    const second = await complete("sales", id);
    expect(second.statusCode).toBe(200);
    expect(second.json<UploadCompleted>()).toEqual(first);
    expect((await create("sales", call.clientCallId, wav)).json<UploadCreateReply>()).toEqual({ uploadId: id, receivedBytes: wav.length, completed: first });
    expect(await recordingsOf(call.id)).toHaveLength(1);
    expect((await put("sales", id, 0, wav.subarray(0, 10))).statusCode).toBe(409);
    expect(await partLength(id)).toBeNull();
  });

  it("another user's upload is 404 to a colleague and to another company, and nothing is written", async () => {
    const wav = stereoWav(1);
    const { call, id } = await started(wav);
    await sendAll(id, wav.subarray(0, 4096), 0, 4096);
    for (const who of ["rita", "other", "admin"] as const) {
      expect((await put(who, id, 4096, wav.subarray(4096, 8192))).statusCode, who).toBe(404);
      expect((await complete(who, id)).statusCode, who).toBe(404);
      expect((await create(who, call.clientCallId, wav)).statusCode, who).toBe(404);
    }
    expect((await put("rita", "999999", 0, wav.subarray(0, 10))).statusCode).toBe(404);
    expect(await partLength(id)).toBe(4096);
    expect((await test.db("recording_uploads").where({ id: Number(id) }).first<{ received_bytes: number }>()).received_bytes).toBe(4096);
  });

  it("refuses a WAV that is not two-channel, and keeps no recording and no partial file", async () => {
    const mono = toneWav(1, 0.3, 16_000);
    const { call, id } = await started(mono);
    await sendAll(id, mono);
    const refused = await complete("sales", id);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: "bad_request", message: expect.stringMatching(/1 channel/) as unknown, reason: "recording_unreadable" });
    expect(await recordingsOf(call.id)).toEqual([]);
    expect(await partLength(id)).toBeNull();
  });

  it("waits with 409 call_not_ended until the call has its final CDR, then completes", async () => {
    const wav = stereoWav(1);
    const call = await insertCall(test.db, sales, "authorized");
    const { uploadId } = (await create("sales", call.clientCallId, wav)).json<UploadCreateReply>();
    await sendAll(uploadId!, wav);
    const early = await complete("sales", uploadId!);
    expect(early.statusCode).toBe(409);
    expect(early.json<UploadConflict>()).toMatchObject({ reason: "call_not_ended", receivedBytes: wav.length });
    await test.db("calls").where({ id: call.id }).update({ status: "ended" });
    expect((await complete("sales", uploadId!)).statusCode).toBe(200);
  });

  it("is refused with 403 when the company does not record, and chunks over 1 MiB are too large", async () => {
    await test.db("companies").where({ id: sales.companyId }).update({ recording_enabled: false });
    const call = await insertCall(test.db, sales);
    expect((await create("sales", call.clientCallId, stereoWav(1))).statusCode).toBe(403);
    await test.db("companies").where({ id: sales.companyId }).update({ recording_enabled: true });
    const { id } = await started(stereoWav(40));
    expect((await put("sales", id, 0, Buffer.alloc(1024 * 1024 + 1))).statusCode).toBe(413);
    const asJson = await app.inject({ method: "PUT", url: `/api/recordings/uploads/${id}?offset=0`, headers: { ...as("sales"), "content-type": "application/json" }, payload: "{}" });
    expect([asJson.statusCode, asJson.json<{ reason?: string }>().reason]).toEqual([400, "upload_chunk_invalid"]);
    expect(await partLength(id)).toBeNull();
  });
});

describe("where the company records", () => {
  const getAs = (who: Who, url: string) => app.inject({ method: "GET", url, headers: as(who) });
  const patch = (who: Who, payload: unknown) => app.inject({ method: "PATCH", url: "/api/admin/recording-settings", headers: as(who), payload: payload as object });

  it("is set by admins, shown to every user, and kept by a patch that does not name it", async () => {
    expect((await patch("admin", { source: "pbx" })).json()).toMatchObject({ source: "pbx" });
    expect((await patch("sales", { source: "desktop" })).statusCode).toBe(403);
    expect((await patch("admin", { source: "cloud" })).statusCode).toBe(400);
    expect((await patch("admin", { source: "desktop" })).json()).toMatchObject({ source: "desktop" });
    expect((await patch("admin", { enforced: true })).json()).toMatchObject({ enforced: true, source: "desktop" });
    expect((await getAs("sales", "/api/recording-settings")).json()).toMatchObject({ enabled: true, source: "desktop" });
    expect((await getAs("other", "/api/recording-settings")).json()).toMatchObject({ source: "pbx" });
  });

  it("decides authorize's record=: the PBX records only when the source is pbx", async () => {
    const { endpointId } = await ensureEndpoint(test.db, sales, now);
    // The demo tariff's rates apply from 2026.
    const tariffTime = Date.UTC(2026, 10, 24, 4);
    const ask = async (uniqueid: string) => {
      const { answer } = await authorizeCall(test.db, new CreditsRuntime({ db: test.db }), { endpoint: endpointId, to: "+12015550123", uniqueid, clientCallId: null }, tariffTime, defaultDestinationPolicy);
      return answer.result === "allow" ? answer.record : answer.reason;
    };
    expect(await ask("caller-test-authorize.1")).toBe(false);
    await test.db("companies").where({ id: sales.companyId }).update({ recording_source: "pbx" });
    expect(await ask("caller-test-authorize.2")).toBe(true);
  });
});
