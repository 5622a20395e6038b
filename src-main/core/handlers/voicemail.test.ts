import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { decode, encode } from "node-wav";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { greetingChunkBase64Chars, type GreetingList } from "../../../src-shared/api/areas/voicemail";
import { CallerError } from "../../../src-shared/errors";
// eslint-disable-next-line no-restricted-imports -- the server under test, not code the core uses
import { directoryStorage } from "../../../src-server/recordings/recording-storage";
// eslint-disable-next-line no-restricted-imports -- the server under test
import { startTestServer, demoCredentials, type TestServer } from "../../../src-server/test-support/test-server";
// eslint-disable-next-line no-restricted-imports -- the server under test
import { openSqliteTestDb, type TestDb } from "../../../src-server/test-support/test-db";
import { createCore, type Core } from "../create-core";

let testDb: TestDb;
let server: TestServer;
let dir: string;
let storageDir: string;
let core: Core;
const pushed: GreetingList[] = [];

beforeAll(async () => {
  testDb = await openSqliteTestDb();
  storageDir = await mkdtemp(join(tmpdir(), "vt-core-greetings-"));
  const pbx = { secret: "core-test-secret", wsUrl: "ws://127.0.0.1:1/ws", sipDomain: "127.0.0.1", iceServers: [], ami: null, cdrStore: null };
  server = await startTestServer({ db: testDb.db, listen: true, realClock: true, pbx, voicemailDrops: true, recordings: { storage: directoryStorage(storageDir), pbx: null } });
  dir = await mkdtemp(join(tmpdir(), "caller-voicemail-"));
  core = await createCore({ dataDir: dir, serverUrl: server.url, shell: "node-host", version: "test" });
  core.events.on("greetingsChanged", (list) => void pushed.push(list));
  await core.handlers.signIn({ email: demoCredentials.sales.email, password: demoCredentials.sales.password });
}, 30_000);

afterAll(async () => {
  await core?.close();
  await server?.close();
  await testDb?.close();
  for (const path of [dir, storageDir]) if (path) await rm(path, { recursive: true, force: true });
});

/** A 16-bit mono WAV of a 440 Hz tone: 25 s at 8 kHz is 400 KB, more than one transport message. */
function toneWav(seconds: number, rate = 8000): Buffer {
  const samples = Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 440 * i) / rate));
  return encode([samples], { sampleRate: rate, bitDepth: 16 });
}

/** The renderer's way: base64 pieces no larger than one message allows, then the upload. */
async function send(wav: Buffer, name: string) {
  const uploadId = randomUUID();
  const base64 = wav.toString("base64");
  let seq = 0;
  for (let at = 0; at < base64.length; at += greetingChunkBase64Chars) {
    await core.handlers.stageGreetingAudio({ uploadId, seq, data: base64.slice(at, at + greetingChunkBase64Chars) });
    seq += 1;
  }
  return { greeting: await core.handlers.uploadGreeting({ uploadId, name }), pieces: seq };
}

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return "resolved";
  } catch (error) {
    return error instanceof CallerError ? error.code : String(error);
  }
};

describe("the core's voicemail area against the real server", () => {
  it("uploads a greeting sent in pieces; the first is the default and the list reaches every window", async () => {
    const { greeting, pieces } = await send(toneWav(25), "Follow-up");
    expect(pieces).toBeGreaterThan(1);
    expect(greeting).toMatchObject({ name: "Follow-up", durationMs: 25_000, isDefault: true });
    const list = await core.handlers.listGreetings({});
    expect(list).toMatchObject({ offline: false, greetings: [{ id: greeting.id, name: "Follow-up" }] });
    expect(pushed.at(-1)?.greetings.map((g) => g.id)).toEqual([greeting.id]);
  });

  it("renames, makes another the default, plays and deletes, each reflected in the server's list", async () => {
    const { greeting: second } = await send(toneWav(2), "Short one");
    await core.handlers.renameGreeting({ id: second.id, name: "Short intro" });
    await core.handlers.setDefaultGreeting({ id: second.id });
    let list = await core.handlers.listGreetings({});
    expect(list.greetings.map((g) => [g.name, g.isDefault])).toEqual([
      ["Follow-up", false],
      ["Short intro", true],
    ]);
    const audio = await core.handlers.getGreetingAudio({ id: second.id });
    const decoded = decode(Buffer.from(audio.base64, "base64"));
    expect(decoded.sampleRate).toBe(8000);
    expect(decoded.channelData[0]?.length).toBe(16_000);
    await core.handlers.deleteGreeting({ id: second.id });
    list = await core.handlers.listGreetings({});
    expect(list.greetings.map((g) => [g.name, g.isDefault])).toEqual([["Follow-up", true]]);
  });

  it("refuses a file that is not audio with the server's words, and a piece out of order; nothing is added", async () => {
    const uploadId = randomUUID();
    await core.handlers.stageGreetingAudio({ uploadId, seq: 0, data: Buffer.from("ID3 not a wav file at all, just text pretending").toString("base64") });
    await expect(core.handlers.uploadGreeting({ uploadId, name: "Bad" })).rejects.toThrow(/WAV/);
    expect(await codeOf(core.handlers.stageGreetingAudio({ uploadId: randomUUID(), seq: 1, data: "AAAA" }))).toBe("bad_request");
    // The staged bytes went with the refused upload: the same id cannot be sent again without its audio.
    expect(await codeOf(core.handlers.uploadGreeting({ uploadId, name: "Bad" }))).toBe("bad_request");
    expect((await core.handlers.listGreetings({})).greetings.map((g) => g.name)).toEqual(["Follow-up"]);
  });

  it("a drop on a call the server does not know is refused, and changes no greeting", async () => {
    expect(await codeOf(core.handlers.dropVoicemail({ clientCallId: randomUUID() }))).toBe("not_found");
  });

  it("offline, the list is the copy kept on this computer, marked offline", async () => {
    await server.close();
    const list = await core.handlers.listGreetings({});
    expect(list.offline).toBe(true);
    expect(list.cachedAt).not.toBeNull();
    expect(list.greetings.map((g) => g.name)).toEqual(["Follow-up"]);
    expect(await codeOf(core.handlers.renameGreeting({ id: list.greetings[0]!.id, name: "x" }))).toBe("server_unreachable");
  });

  it("signing out forgets the kept list", async () => {
    await core.handlers.signOut({});
    await new Promise((resolve) => setTimeout(resolve, 50));
    const list = await core.handlers.listGreetings({}).catch((error: unknown) => error);
    expect(list).toBeInstanceOf(CallerError);
    expect((list as CallerError).code).toBe("not_signed_in");
  });
});
