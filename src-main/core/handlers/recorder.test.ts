import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordingUpload } from "../../../src-shared/api/areas/recorder";
import { createCore, type Core } from "../create-core";
import { patternChunk } from "../desktop-recording/testing/pcm-pattern";
import { startRecordingServer, type RecordingServer } from "../desktop-recording/testing/recording-server";

let server: RecordingServer;
let dir: string;
let core: Core;

beforeAll(async () => {
  server = await startRecordingServer();
  dir = await mkdtemp(join(tmpdir(), "caller-recorder-"));
  core = await createCore({ dataDir: dir, serverUrl: server.url, shell: "node-host", version: "test" });
  await core.handlers.signIn(server.credentials);
}, 30_000);

afterAll(async () => {
  await core?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the core's recorder handlers", () => {
  it("record a call to <dataDir>/recordings-out, upload it after stop, and tell the renderer every step", async () => {
    const call = await server.call();
    const events: RecordingUpload[] = [];
    const off = core.events.on("recordingUploadChanged", (upload) => events.push(upload));
    try {
      await core.handlers.startDesktopRecording({ clientCallId: call.clientCallId, sampleRate: 16_000 });
      expect(existsSync(join(dir, "recordings-out", `${call.clientCallId}.wav`))).toBe(true);
      for (let seq = 0; seq < 4; seq += 1) await core.handlers.appendDesktopRecording({ clientCallId: call.clientCallId, seq, pcm: patternChunk(seq, 4000).toString("base64") });
      await expect(core.handlers.appendDesktopRecording({ clientCallId: call.clientCallId, seq: 6, pcm: "" })).rejects.toThrow(/hole/);
      await core.handlers.stopDesktopRecording({ clientCallId: call.clientCallId });

      await expect.poll(() => events.at(-1)?.state, { timeout: 10_000 }).toBe("done");
      expect(events[0]).toMatchObject({ state: "recording", clientCallId: call.clientCallId });
      expect((await core.handlers.listRecordingUploads({})).uploads).toEqual([expect.objectContaining({ clientCallId: call.clientCallId, state: "done", totalBytes: 44 + 16_000 * 4 })]);
      expect(await readdir(join(dir, "recordings-out"))).toEqual([]);
      expect(await server.db("recordings").where({ call_id: call.id }).count({ n: "*" }).first()).toEqual({ n: 1 });
    } finally {
      off();
    }
  });

  it("refuses chunks for a call that is not being recorded", async () => {
    await expect(core.handlers.appendDesktopRecording({ clientCallId: "00000000-0000-4000-8000-00000000abcd", seq: 0, pcm: "" })).rejects.toThrow(/No recording of this call is open/);
    await expect(core.handlers.retryRecordingUpload({ clientCallId: "00000000-0000-4000-8000-00000000abcd" })).rejects.toThrow(/No recording/);
  });
});
