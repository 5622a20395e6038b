import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordingMeta, RecordingSettings, RecordingsReply } from "../../src-shared/server-api/recordings";
import { buildServer } from "../build-server";
import { findUserByEmail, type UserRecord } from "../db/users-repo";
import type { App } from "../http/app";
import type { PbxServerConfig } from "../pbx/pbx-server-config";
import { ingestRecording } from "../recordings/ingest-recording";
import { directoryStorage } from "../recordings/recording-storage";
import { addRegularUser, insertCall, tempDir, tokenFor, toneWav, type TempDir } from "../recordings/testing/recording-fixtures";
import { demoCredentials, seedDemo } from "../seed/demo";
import { openSqliteTestDb, type TestDb } from "../test-support/test-db";

const now = 1_700_000_010_000;
const pbx: PbxServerConfig = { secret: "0123456789abcdef0123456789abcdef", wsUrl: "ws://127.0.0.1:8088/ws", sipDomain: "127.0.0.1", iceServers: [], ami: null, cdrStore: null };

let test: TestDb;
let app: App;
let store: TempDir;
let source: TempDir;
const muted: { uniqueid: string; muted: boolean }[] = [];
const tokens: Record<"admin" | "sales" | "rita" | "other", string> = { admin: "", sales: "", rita: "", other: "" };
let sales: UserRecord;
let salesCall: { id: number; uniqueid: string; clientCallId: string };
let recordingId: number;
let storedBytes: Buffer;

beforeAll(async () => {
  test = await openSqliteTestDb();
  await seedDemo(test.db, now);
  store = await tempDir("caller-rec-store-");
  source = await tempDir("caller-rec-src-");
  const storage = directoryStorage(store.path);
  app = buildServer({
    db: test.db,
    now: () => now,
    pbx,
    recordings: { storage, pbx: { setMuted: (uniqueid, on) => Promise.resolve(void muted.push({ uniqueid, muted: on })) } },
  });
  await app.ready();
  sales = (await findUserByEmail(test.db, demoCredentials.sales.email))!;
  await addRegularUser(test.db, sales.companyId, "rita@demo.example", now);
  tokens.admin = await tokenFor(test.db, demoCredentials.admin.email, now);
  tokens.sales = await tokenFor(test.db, demoCredentials.sales.email, now);
  tokens.rita = await tokenFor(test.db, "rita@demo.example", now);
  tokens.other = await tokenFor(test.db, demoCredentials.otherAdmin.email, now);

  salesCall = await insertCall(test.db, sales);
  const result = await ingestRecording(
    test.db,
    storage,
    { uniqueid: salesCall.uniqueid, user: await source.file("u.wav", toneWav(2, 0.4)), other: await source.file("o.wav", toneWav(2, 0.2)) },
    now,
  );
  if (result.status !== "ingested") throw new Error(result.status);
  recordingId = result.recording.id;
  storedBytes = await readFile(join(store.path, result.recording.storageKey));
});

afterAll(async () => {
  await app?.close();
  await test?.close();
  await store?.remove();
  await source?.remove();
});

const as = (who: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[who]}` });
const get = (who: keyof typeof tokens, url: string, headers: Record<string, string> = {}) => app.inject({ method: "GET", url, headers: { ...as(who), ...headers } });
const setPolicy = (body: Partial<RecordingSettings>) => app.inject({ method: "PATCH", url: "/api/admin/recording-settings", headers: as("admin"), payload: body });

describe("who may play and download a recording", () => {
  it("the call's owner gets its metadata and peaks, and plays it with Range for seeking", async () => {
    const meta = await get("sales", `/api/recordings/${recordingId}`);
    expect(meta.statusCode).toBe(200);
    expect(meta.json<RecordingMeta>()).toMatchObject({ id: String(recordingId), callId: String(salesCall.id), durationMs: 2000, channels: 2, sampleRate: 8000, canDownload: false });
    expect(meta.json<RecordingMeta>().peaks[0]).toHaveLength(1000);

    const whole = await get("sales", `/api/recordings/${recordingId}/audio`);
    expect(whole.statusCode).toBe(200);
    expect(whole.headers["content-type"]).toBe("audio/wav");
    expect(whole.headers["accept-ranges"]).toBe("bytes");
    expect(whole.headers["content-disposition"]).toBeUndefined();
    expect(whole.rawPayload.equals(storedBytes)).toBe(true);

    const part = await get("sales", `/api/recordings/${recordingId}/audio`, { range: "bytes=1000-1999" });
    expect(part.statusCode).toBe(206);
    expect(part.headers["content-range"]).toBe(`bytes 1000-1999/${storedBytes.length}`);
    expect(part.rawPayload.equals(storedBytes.subarray(1000, 2000))).toBe(true);

    const tail = await get("sales", `/api/recordings/${recordingId}/audio`, { range: "bytes=-10" });
    expect(tail.rawPayload.equals(storedBytes.subarray(storedBytes.length - 10))).toBe(true);
    expect((await get("sales", `/api/recordings/${recordingId}/audio`, { range: `bytes=${storedBytes.length}-` })).statusCode).toBe(416);
  });

  it("another regular user of the company gets 403 on everything; another company's admin gets 404", async () => {
    for (const path of ["", "/audio", "/download"]) {
      expect((await get("rita", `/api/recordings/${recordingId}${path}`)).statusCode).toBe(403);
      expect((await get("other", `/api/recordings/${recordingId}${path}`)).statusCode).toBe(404);
    }
    expect((await get("rita", `/api/recordings?callIds=${salesCall.id}`)).json<RecordingsReply>().recordings).toEqual([]);
    expect((await app.inject({ method: "GET", url: `/api/recordings/${recordingId}/audio` })).statusCode).toBe(401);
  });

  it("an admin plays and downloads any recording of the company, as an attachment", async () => {
    expect((await get("admin", `/api/recordings/${recordingId}`)).json<RecordingMeta>().canDownload).toBe(true);
    const download = await get("admin", `/api/recordings/${recordingId}/download`);
    expect(download.statusCode).toBe(200);
    expect(download.headers["content-disposition"]).toBe(`attachment; filename="call-${salesCall.id}-recording-${recordingId}.wav"`);
    expect(download.rawPayload.equals(storedBytes)).toBe(true);
  });

  it("the owner gets 403 on the download URL while downloads are off, and the file once the company allows it", async () => {
    expect((await setPolicy({ ownerDownload: false })).statusCode).toBe(200);
    const refused = await get("sales", `/api/recordings/${recordingId}/download`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: "forbidden" });
    expect((await setPolicy({ ownerDownload: true })).statusCode).toBe(200);
    expect((await get("sales", `/api/recordings/${recordingId}/download`)).statusCode).toBe(200);
    expect((await get("sales", `/api/recordings?callIds=${salesCall.id},999`)).json<RecordingsReply>()).toEqual({
      recordings: [{ id: String(recordingId), callId: String(salesCall.id), durationMs: 2000, canDownload: true }],
    });
    await setPolicy({ ownerDownload: false });
  });
});

describe("the company's recording policy", () => {
  it("is changed by admins only, and reaches every user's change feed as company-recording", async () => {
    const refused = await app.inject({ method: "PATCH", url: "/api/admin/recording-settings", headers: as("sales"), payload: { enabled: true } });
    expect(refused.statusCode).toBe(403);
    expect((await get("sales", "/api/admin/recording-settings")).statusCode).toBe(403);
    const changed = await setPolicy({ enabled: true, enforced: true });
    expect(changed.json<RecordingSettings>()).toMatchObject({ enabled: true, enforced: true });
    expect((await get("sales", "/api/recording-settings")).json<RecordingSettings>()).toMatchObject({ enabled: true, enforced: true });
    expect((await get("other", "/api/recording-settings")).json<RecordingSettings>()).toMatchObject({ enabled: false });
    const feed = await get("sales", "/api/changes?since=0&limit=500");
    const changes = feed.json<{ changes: { entity: string; data: unknown }[] }>().changes.filter((c) => c.entity === "company-recording");
    expect(changes.at(-1)?.data).toMatchObject({ enabled: true, enforced: true });
    expect((await app.inject({ method: "PATCH", url: "/api/admin/recording-settings", headers: as("admin"), payload: { enabled: "yes" } })).statusCode).toBe(400);
  });
});

describe("pausing a call's recording", () => {
  it("the owner pauses and resumes their live call through the PBX, and each is logged with the call", async () => {
    await setPolicy({ pauseAllowed: true });
    const live = await insertCall(test.db, sales, "authorized");
    const pause = await app.inject({ method: "POST", url: `/api/calls/${live.clientCallId}/recording/pause`, headers: as("sales") });
    expect(pause.json()).toEqual({ paused: true });
    const resume = await app.inject({ method: "POST", url: `/api/calls/${live.clientCallId}/recording/resume`, headers: as("sales") });
    expect(resume.json()).toEqual({ paused: false });
    expect(muted.slice(-2)).toEqual([{ uniqueid: live.uniqueid, muted: true }, { uniqueid: live.uniqueid, muted: false }]);
    expect(await test.db("recording_pauses").where({ call_id: live.id }).orderBy("id").select("action", "user_id")).toEqual([
      { action: "pause", user_id: sales.id },
      { action: "resume", user_id: sales.id },
    ]);
  });

  it("when the user's computer records, a pause is logged with the call and the PBX is not asked", async () => {
    await setPolicy({ pauseAllowed: true, source: "desktop" });
    const live = await insertCall(test.db, sales, "authorized");
    const before = muted.length;
    expect((await app.inject({ method: "POST", url: `/api/calls/${live.clientCallId}/recording/pause`, headers: as("sales") })).json()).toEqual({ paused: true });
    expect(muted.length).toBe(before);
    expect(await test.db("recording_pauses").where({ call_id: live.id }).select("action")).toEqual([{ action: "pause" }]);
    await setPolicy({ source: "pbx" });
  });

  it("is refused when the company forbids it, for someone else's call, and after the call ended", async () => {
    const live = await insertCall(test.db, sales, "authorized");
    const before = muted.length;
    expect((await app.inject({ method: "POST", url: `/api/calls/${live.clientCallId}/recording/pause`, headers: as("rita") })).statusCode).toBe(404);
    expect((await app.inject({ method: "POST", url: `/api/calls/${salesCall.clientCallId}/recording/pause`, headers: as("sales") })).statusCode).toBe(409);
    await setPolicy({ pauseAllowed: false });
    expect((await app.inject({ method: "POST", url: `/api/calls/${live.clientCallId}/recording/pause`, headers: as("sales") })).statusCode).toBe(403);
    expect((await app.inject({ method: "POST", url: "/api/calls/not-a-uuid/recording/pause", headers: as("sales") })).statusCode).toBe(400);
    expect(muted.length).toBe(before);
    expect(await test.db("recording_pauses").where({ call_id: live.id }).count({ n: "*" }).first()).toEqual({ n: 0 });
    await setPolicy({ pauseAllowed: true });
  });
});
