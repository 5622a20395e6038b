import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RecordingUpload } from "../../../src-shared/api/areas/recorder";
import { errorFromText } from "../../../src-shared/errors";
import { openTempStore, type TempStore } from "../store/temp-store";
import { DesktopRecorder } from "./desktop-recorder";
import { fileSha256 } from "./file-sha256";
import { bundleChild, type ChildBundle } from "./testing/bundle-child";
import { patternChunk } from "./testing/pcm-pattern";
import { startRecordingServer, type RecordingServer } from "./testing/recording-server";
import { loopbackRelay, type LoopbackRelay } from "../testing/loopback-relay";
import type { UploadSession } from "./upload-queue";
import { findRecordingUpload } from "./uploads-repo";

let server: RecordingServer;
let store: TempStore;
const open: DesktopRecorder[] = [];

beforeAll(async () => {
  server = await startRecordingServer();
}, 30_000);
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  store = await openTempStore("better-sqlite3");
});
afterEach(async () => {
  for (const recorder of open.splice(0)) await recorder.close();
  await store.dispose();
});

const dir = () => join(store.dir, "recordings-out");
const sessionFor = (url: string): UploadSession => ({ serverUrl: url, baseUrl: url, token: server.token, userId: server.userId });

function recorder(url: string, events: RecordingUpload[] = [], signedIn: { on: boolean } = { on: true }): DesktopRecorder {
  const made = new DesktopRecorder({
    db: store.knex,
    dir: dir(),
    session: () => Promise.resolve(signedIn.on ? sessionFor(url) : null),
    emit: (upload) => events.push(upload),
    backoff: { baseMs: 50, maxMs: 200 },
  });
  open.push(made);
  return made;
}

/** `chunks` quarter-seconds of 48 kHz stereo, as the renderer sends them. */
async function record(target: DesktopRecorder, clientCallId: string, chunks: number, stop = true): Promise<void> {
  await target.start(clientCallId, 48_000);
  for (let seq = 0; seq < chunks; seq += 1) await target.append(clientCallId, seq, patternChunk(seq, 12_000).toString("base64"));
  if (stop) await target.stop(clientCallId);
}

const stateOf = async (clientCallId: string) => (await findRecordingUpload(store.knex, clientCallId))?.state;
const recordingsOf = (callId: number) => server.db("recordings").where({ call_id: callId }).select<{ sha256: string; channels: number; duration_ms: number }[]>("sha256", "channels", "duration_ms");
const serverReceived = async (callId: number) => Number((await server.db("recording_uploads").where({ call_id: callId }).first<{ received_bytes: number } | undefined>())?.received_bytes ?? 0);

describe("a desktop recording after the call", () => {
  it("uploads in chunks with progress, lands as one recording with the same sha256, and only then leaves this computer", async () => {
    const call = await server.call();
    const events: RecordingUpload[] = [];
    const target = recorder(server.url, events);
    await record(target, call.clientCallId, 12);
    const local = (await findRecordingUpload(store.knex, call.clientCallId))!;
    expect(local.sizeBytes).toBe(44 + 12 * 12_000 * 4);
    expect(local.sha256).toBe(await fileSha256(local.path));

    await expect.poll(() => stateOf(call.clientCallId), { timeout: 10_000 }).toBe("done");
    const [stored, ...more] = await recordingsOf(call.id);
    expect(more).toEqual([]);
    expect(stored).toMatchObject({ sha256: local.sha256, channels: 2, duration_ms: 3000 });
    expect(existsSync(local.path)).toBe(false);

    expect(events[0]).toMatchObject({ clientCallId: call.clientCallId, state: "recording" });
    expect(events.map((e) => e.state)).toEqual(expect.arrayContaining(["waiting", "uploading", "done"]));
    const sent = events.filter((e) => e.state === "uploading").map((e) => e.sentBytes);
    expect(sent).toEqual([...sent].sort((a, b) => a - b));
    expect(sent.at(-1)).toBe(local.sizeBytes);
    expect(await target.list()).toEqual([expect.objectContaining({ state: "done", sentBytes: local.sizeBytes, totalBytes: local.sizeBytes, error: null })]);
  });

  // Its polls allow 10 s and 15 s: the default 5 s timed out on a loaded machine (2 cores shared).
  it("offline part-way: waits with its error and backoff, then resumes from the server's offset, not from 0", async () => {
    const relay: LoopbackRelay = await loopbackRelay(Number(new URL(server.url).port), { bytesPerSecond: 512 * 1024 });
    try {
      const call = await server.call();
      const target = recorder(relay.url);
      await record(target, call.clientCallId, 32);
      const size = (await findRecordingUpload(store.knex, call.clientCallId))!.sizeBytes!;
      await expect.poll(() => serverReceived(call.id), { timeout: 10_000 }).toBeGreaterThanOrEqual(512 * 1024);
      relay.cut();
      // Kept as the refusal, so the app words it in its language.
      const kept = async () => errorFromText((await findRecordingUpload(store.knex, call.clientCallId))?.error ?? "");
      await expect.poll(async () => (await kept())?.code, { timeout: 10_000 }).toBe("server_unreachable");
      expect((await kept())?.message).toMatch(/cannot be reached/);
      const held = await serverReceived(call.id);
      expect(held).toBeLessThan(size);

      relay.bytesUp = 0;
      relay.restore();
      await expect.poll(() => stateOf(call.clientCallId), { timeout: 15_000 }).toBe("done");
      expect(relay.bytesUp).toBeLessThan(size - held + 64 * 1024);
      expect(await recordingsOf(call.id)).toHaveLength(1);
    } finally {
      await relay.close();
    }
  }, 30_000);

  it("waits while the server has no final CDR for the call, then completes", async () => {
    const call = await server.call("authorized");
    const target = recorder(server.url);
    await record(target, call.clientCallId, 2);
    await expect.poll(async () => errorFromText((await findRecordingUpload(store.knex, call.clientCallId))?.error ?? "")?.reason, { timeout: 10_000 }).toBe("recording_call_not_ended");
    expect(await stateOf(call.clientCallId)).not.toBe("done");
    await server.db("calls").where({ id: call.id }).update({ status: "ended" });
    await expect.poll(() => stateOf(call.clientCallId), { timeout: 10_000 }).toBe("done");
  });

  it("a recording a crash left open is repaired at the next start, then uploaded with everything written", async () => {
    const call = await server.call();
    const before = recorder(server.url, [], { on: true });
    await record(before, call.clientCallId, 8, false);
    // A second core on the same store and directory, as after a restart: the first never closed its file.
    const after = recorder(server.url);
    await after.recover();
    await expect.poll(() => stateOf(call.clientCallId), { timeout: 10_000 }).toBe("done");
    expect(await recordingsOf(call.id)).toEqual([expect.objectContaining({ channels: 2, duration_ms: 2000 })]);
  });

  it("a failed upload waits for the user's retry, and a stop or start for a finished call changes nothing", async () => {
    const target = recorder(server.url);
    await record(target, "00000000-0000-4000-8000-0000000000ff", 1);
    await expect.poll(() => stateOf("00000000-0000-4000-8000-0000000000ff"), { timeout: 10_000 }).toBe("failed");
    const failure = errorFromText((await findRecordingUpload(store.knex, "00000000-0000-4000-8000-0000000000ff"))?.error ?? "");
    expect([failure?.code, failure?.reason, failure?.message]).toEqual(["not_found", "unknown_call", expect.stringMatching(/No call of yours/)]);
    await target.stop("00000000-0000-4000-8000-0000000000ff");
    await expect(target.start("00000000-0000-4000-8000-0000000000ff", 48_000)).rejects.toThrow(/recorded already/);
    await target.retry("00000000-0000-4000-8000-0000000000ff");
    await expect.poll(() => stateOf("00000000-0000-4000-8000-0000000000ff"), { timeout: 10_000 }).toBe("failed");
  });
});

describe("the app killed with kill -9 mid-upload", () => {
  let child: ChildBundle;
  beforeAll(async () => {
    child = await bundleChild(new URL("./testing/upload-child.ts", import.meta.url));
  }, 30_000);
  afterAll(async () => {
    await child?.remove();
  });

  it("resumes at the next start from the server's offset and ends with exactly one recording, sha256 equal, local file removed", async () => {
    const relay = await loopbackRelay(Number(new URL(server.url).port), { bytesPerSecond: 384 * 1024 });
    try {
      const call = await server.call();
      // Signed out once it has started, so this core never uploads it: the child process does.
      const signedIn = { on: true };
      const local = recorder(relay.url, [], signedIn);
      await local.start(call.clientCallId, 48_000);
      signedIn.on = false;
      for (let seq = 0; seq < 32; seq += 1) await local.append(call.clientCallId, seq, patternChunk(seq, 12_000).toString("base64"));
      await local.stop(call.clientCallId);
      const recorded = (await findRecordingUpload(store.knex, call.clientCallId))!;
      expect(recorded.state).toBe("waiting");

      const run = child.run([store.file, dir(), relay.url, server.token, String(server.userId)]);
      await run.waitFor(/uploading sent [1-9]\d* of/);
      await expect.poll(() => serverReceived(call.id), { timeout: 10_000 }).toBeGreaterThanOrEqual(256 * 1024);
      await run.kill9();
      const held = await serverReceived(call.id);
      expect(held).toBeLessThan(recorded.sizeBytes!);
      expect(await stateOf(call.clientCallId)).toBe("uploading");
      expect(existsSync(recorded.path)).toBe(true);

      await local.close();
      relay.bytesUp = 0;
      const restarted = recorder(relay.url);
      await restarted.recover();
      await expect.poll(() => stateOf(call.clientCallId), { timeout: 20_000 }).toBe("done");
      expect(relay.bytesUp).toBeLessThan(recorded.sizeBytes! - held + 64 * 1024);
      expect(await recordingsOf(call.id)).toEqual([expect.objectContaining({ sha256: recorded.sha256 })]);
      expect(existsSync(recorded.path)).toBe(false);
    } finally {
      await relay.close();
    }
  }, 60_000);
});
