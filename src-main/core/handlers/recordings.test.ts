import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispatch } from "../../../src-shared/api/dispatch";
import { CallerError } from "../../../src-shared/errors";
import type { RecordingSettings } from "../../../src-shared/server-api/recordings";
// The core against the real company server over loopback HTTP (test only).
/* eslint-disable no-restricted-imports -- the server under test, not code the core uses */
import { buildServer } from "../../../src-server/build-server";
import { findUserByEmail } from "../../../src-server/db/users-repo";
import type { App } from "../../../src-server/http/app";
import { ingestRecording } from "../../../src-server/recordings/ingest-recording";
import { directoryStorage } from "../../../src-server/recordings/recording-storage";
import { insertCall, tempDir, tokenFor, toneWav, type TempDir } from "../../../src-server/recordings/testing/recording-fixtures";
import { demoCredentials, seedDemo } from "../../../src-server/seed/demo";
import { openSqliteTestDb, type TestDb } from "../../../src-server/test-support/test-db";
/* eslint-enable no-restricted-imports */
import { createCore, type Core } from "../create-core";
import { loopbackRelay, type LoopbackRelay } from "../testing/loopback-relay";

let test: TestDb;
let app: App;
let store: TempDir;
let source: TempDir;
let relay: LoopbackRelay;
let dir: string;
let core: Core;
let adminToken: string;
const recordings: { id: string; callId: string; storageKey: string }[] = [];

beforeAll(async () => {
  test = await openSqliteTestDb();
  await seedDemo(test.db, Date.now());
  store = await tempDir("caller-rec-store-");
  source = await tempDir("caller-rec-src-");
  const storage = directoryStorage(store.path);
  app = buildServer({ db: test.db, recordings: { storage, pbx: null } });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  relay = await loopbackRelay(typeof address === "object" && address !== null ? address.port : 0);
  const sales = (await findUserByEmail(test.db, demoCredentials.sales.email))!;
  for (const seconds of [1, 2, 1.5]) {
    const call = await insertCall(test.db, sales);
    const user = await source.file(`${call.uniqueid}-u.wav`, toneWav(seconds, 0.4));
    const result = await ingestRecording(test.db, storage, { uniqueid: call.uniqueid, user, other: await source.file(`${call.uniqueid}-o.wav`, toneWav(seconds, 0.2)) }, Date.now());
    if (result.status !== "ingested") throw new Error(result.status);
    recordings.push({ id: String(result.recording.id), callId: String(call.id), storageKey: result.recording.storageKey });
  }
  adminToken = await tokenFor(test.db, demoCredentials.admin.email, Date.now());
  dir = await mkdtemp(join(tmpdir(), "caller-rec-cache-"));
  core = await createCore({ dataDir: dir, serverUrl: relay.url, shell: "node-host", version: "test", syncIntervalMs: 3_600_000 });
  await core.handlers.signIn(demoCredentials.sales);
}, 30_000);

afterAll(async () => {
  await core?.close();
  await relay?.close();
  await app?.close();
  await test?.close();
  await store?.remove();
  await source?.remove();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: unknown) => (e instanceof CallerError ? { code: e.code, message: e.message } : { code: String(e), message: "" }),
  );

async function setPolicy(patch: Partial<RecordingSettings>): Promise<void> {
  const reply = await app.inject({ method: "PATCH", url: "/api/admin/recording-settings", headers: { authorization: `Bearer ${adminToken}` }, payload: patch });
  expect(reply.statusCode).toBe(200);
}

async function offline<T>(run: () => Promise<T>): Promise<T> {
  relay.cut();
  try {
    return await run();
  } finally {
    relay.restore();
  }
}

const cacheFiles = async () => (await readdir(join(dir, "recordings"))).filter((name) => name.endsWith(".wav"));

describe("recordings offline", () => {
  it("a played recording plays again, with its meta and in the history's list, when the server cannot be reached", async () => {
    const [first] = recordings;
    const { handlers } = core;
    const online = await handlers.getRecordingAudio({ id: first!.id });
    expect(online).toMatchObject({ offline: "cached", cacheProblem: null });
    const meta = await handlers.getRecording({ id: first!.id });
    expect(await cacheFiles()).toEqual([`${meta.sha256}.wav`]);

    await offline(async () => {
      expect(await handlers.getRecordingAudio({ id: first!.id })).toEqual(online);
      expect(await handlers.getRecording({ id: first!.id })).toEqual(meta);
      const listed = await handlers.listCallRecordings({ callIds: recordings.map((r) => r.callId) });
      expect(listed.recordings).toEqual([{ id: first!.id, callId: first!.callId, durationMs: meta.durationMs, canDownload: false, offline: "cached" }]);
    });
  });

  it("offline, a recording never played is not there and the error says so", async () => {
    const second = recordings[1]!;
    const error = await offline(() => errorOf(core.handlers.getRecordingAudio({ id: second.id })));
    expect(error?.code).toBe("server_unreachable");
    expect(error?.message).toMatch(/not kept on this computer/);
    expect(await offline(() => errorOf(core.handlers.getRecording({ id: second.id })))).toMatchObject({ code: "server_unreachable" });
  });

  it("offline, a kept recording downloads only if the company allowed it when last asked", async () => {
    const first = recordings[0]!;
    const { handlers } = core;
    await setPolicy({ ownerDownload: false });
    expect(await errorOf(handlers.downloadRecording({ id: first.id }))).toMatchObject({ code: "forbidden" });
    expect(await offline(() => errorOf(handlers.downloadRecording({ id: first.id })))).toMatchObject({ code: "forbidden", message: expect.stringMatching(/does not allow/) as unknown });

    // Allowed now: the history's list online refreshes what the cache remembers.
    await setPolicy({ ownerDownload: true });
    expect((await handlers.listCallRecordings({ callIds: [first.callId] })).recordings[0]).toMatchObject({ canDownload: true, offline: "cached" });
    const file = await offline(() => handlers.downloadRecording({ id: first.id }));
    expect(file.fileName).toBe(`call-${first.callId}-recording-${first.id}.wav`);
    expect(file.base64).toBe((await handlers.getRecordingAudio({ id: first.id })).base64);

    // Disallowed again: the player's meta request online is enough to take it back.
    await setPolicy({ ownerDownload: false });
    expect((await handlers.getRecording({ id: first.id })).canDownload).toBe(false);
    expect(await offline(() => errorOf(handlers.downloadRecording({ id: first.id })))).toMatchObject({ code: "forbidden" });
  });

  it("audio that does not match the server's checksum plays but is not kept", async () => {
    const third = recordings[2]!;
    const original = await core.handlers.getRecording({ id: third.id });
    await writeFile(join(store.path, third.storageKey), Buffer.alloc(original.sizeBytes, 1));
    const audio = await core.handlers.getRecordingAudio({ id: third.id });
    expect(audio).toMatchObject({ offline: "none", cacheProblem: "checksum_mismatch" });
    expect(await core.handlers.setRecordingPinned({ id: third.id, pinned: true })).toEqual({ ok: false, reason: "checksum_mismatch" });
    expect((await core.handlers.getRecordingCache({})).count).toBe(1);
  });

  it("pinning fetches a recording not kept yet; the limit refuses a pin the pinned ones would exceed, and has a minimum", async () => {
    const second = recordings[1]!;
    const { handlers } = core;
    expect(await handlers.setRecordingPinned({ id: second.id, pinned: true })).toEqual({ ok: true, offline: "pinned" });
    const state = await handlers.getRecordingCache({});
    expect(state).toMatchObject({ count: 2, pinnedCount: 1 });
    expect(await dispatch(handlers, "setRecordingCacheLimit", { limitBytes: 1024 })).toMatchObject({ ok: false, error: { code: "bad_request" } });
    expect(await dispatch(handlers, "setRecordingCacheLimit", { limitBytes: 50 * 1024 * 1024 })).toMatchObject({ ok: true, value: { ok: true } });
    const listed = await handlers.listCallRecordings({ callIds: [second.callId] });
    expect(listed.recordings[0]?.offline).toBe("pinned");
  });

  it("signing out removes every kept recording from disk", async () => {
    expect((await cacheFiles()).length).toBeGreaterThan(0);
    await core.handlers.signOut({});
    await expect.poll(cacheFiles).toEqual([]);
    expect(await core.handlers.getRecordingCache({})).toMatchObject({ count: 0, usedBytes: 0 });
  });
});
