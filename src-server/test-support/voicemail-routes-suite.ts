import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decode, encode } from "node-wav";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Greeting, GreetingsReply, voicemailPaths } from "../../src-shared/server-api/voicemail";
import { directoryStorage } from "../recordings/recording-storage";
import type { TestDb } from "./test-db";
import { bearer, demoCredentials, startTestServer, type TestServer } from "./test-server";

/** A PCM WAV of `seconds` of a 440 Hz tone; 16-bit unless told. */
function wav(seconds: number, options: { rate?: number; channels?: number; bitDepth?: number } = {}): Buffer {
  const rate = options.rate ?? 16_000;
  const samples = Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 440 * i) / rate));
  return encode(Array.from({ length: options.channels ?? 1 }, () => samples), { sampleRate: rate, bitDepth: options.bitDepth ?? 16 });
}

/** The same header with another format code (7: μ-law), as a phone system exports it. */
function withFormat(bytes: Buffer, format: number): Buffer {
  const copy = Buffer.from(bytes);
  copy.writeUInt16LE(format, 20);
  return copy;
}

/** Greetings and the drop route's refusals, through the real database, once per engine. */
export function describeVoicemailRoutes(engine: string, open: () => Promise<TestDb>): void {
  describe(`voicemail greetings on ${engine}`, () => {
    let handle: TestDb;
    let server: TestServer;
    let storageDir: string;
    let tokens: { sales: string; admin: string; other: string };

    beforeAll(async () => {
      handle = await open();
      storageDir = await mkdtemp(join(tmpdir(), "vt-greetings-"));
      const pbx = { secret: "route-test-secret", wsUrl: "ws://127.0.0.1:1/ws", sipDomain: "127.0.0.1", iceServers: [], ami: null, cdrStore: null };
      server = await startTestServer({ db: handle.db, pbx, voicemailDrops: true, recordings: { storage: directoryStorage(storageDir), pbx: null } });
      const [sales, admin, other] = await Promise.all([server.sessionFor(demoCredentials.sales), server.sessionFor(demoCredentials.admin), server.sessionFor(demoCredentials.otherAdmin)]);
      tokens = { sales, admin, other };
    }, 60_000);
    afterAll(async () => {
      await server?.close();
      await handle?.close();
      if (storageDir !== undefined) await rm(storageDir, { recursive: true, force: true });
    });

    const upload = (token: string, body: Buffer | string, name = "Intro", contentType = "audio/wav") =>
      server.app.inject({ method: "POST", url: `${voicemailPaths.greetings}?name=${encodeURIComponent(name)}`, headers: { ...bearer(token), "content-type": contentType }, payload: body });
    const call = (token: string | null, method: "GET" | "PATCH" | "DELETE" | "POST", url: string, payload?: object) =>
      server.app.inject({ method, url, headers: token === null ? {} : bearer(token), ...(payload === undefined ? {} : { payload }) });
    const greetingPath = (path: string, id: number) => path.replace(":id", String(id));
    const stored = async () => ({ rows: await server.db("voicemail_greetings").orderBy("id").select("*"), files: (await readdir(storageDir, { recursive: true })).sort() });
    const list = async (token: string, scope = "own") => GreetingsReply.parse((await call(token, "GET", `${voicemailPaths.greetings}?scope=${scope}`)).json()).greetings;

    it("a 16 kHz stereo upload is kept as 8 kHz mono 16-bit, the user's first greeting is their default", async () => {
      const reply = await upload(tokens.sales, wav(2.5, { channels: 2 }), "Follow-up");
      expect(reply.statusCode, reply.body).toBe(200);
      const greeting = Greeting.parse(reply.json());
      expect(greeting).toMatchObject({ name: "Follow-up", durationMs: 2500, isDefault: true });
      const audio = await call(tokens.sales, "GET", greetingPath(voicemailPaths.greetingAudio, greeting.id));
      expect(audio.statusCode).toBe(200);
      expect(audio.headers["content-type"]).toBe("audio/wav");
      const decoded = decode(audio.rawPayload);
      expect({ rate: decoded.sampleRate, channels: decoded.channelData.length, samples: decoded.channelData[0]?.length }).toEqual({ rate: 8000, channels: 1, samples: 20_000 });
      expect(audio.rawPayload.readUInt16LE(34)).toBe(16);
      const second = Greeting.parse((await upload(tokens.sales, wav(1, { rate: 8000 }), "Short")).json());
      expect(second.isDefault).toBe(false);
    });

    it("what is not a PCM WAV of 0.5 to 60 s and at most 5 MB is refused with what is wrong, and nothing is stored", async () => {
      const before = await stored();
      const cases: [string, Buffer | string, RegExp, number?][] = [
        ["text", "hello, this is not audio", /not a WAV file/],
        ["RIFF but not WAVE", Buffer.concat([Buffer.from("RIFF\0\0\0\0AVI "), Buffer.alloc(64)]), /not a WAV file/],
        ["μ-law", withFormat(wav(1, { rate: 8000 }), 7), /not PCM audio/],
        ["too long", wav(61, { rate: 8000 }), /at most 60 s/],
        ["too short", wav(0.2, { rate: 8000 }), /at least 0.5 s/],
        ["too many channels", (() => { const b = Buffer.from(wav(1, { rate: 8000 })); b.writeUInt16LE(6, 22); return b; })(), /6 channels/],
        ["too large", Buffer.concat([wav(1, { rate: 8000 }), Buffer.alloc(5 * 1024 * 1024)]), /too large|body/i, 413],
      ];
      for (const [what, body, message, status] of cases) {
        const reply = await upload(tokens.sales, body, "Bad");
        expect(reply.statusCode, `${what}: ${reply.body}`).toBe(status ?? 400);
        expect(reply.json<{ code: string; message: string }>(), what).toMatchObject({ code: "bad_request", message: expect.stringMatching(message) as string });
      }
      for (const name of ["", "  ", "line\nbreak", "x".repeat(81)]) expect((await upload(tokens.sales, wav(1), name)).statusCode, JSON.stringify(name)).toBe(400);
      expect((await upload(tokens.sales, JSON.stringify({ audio: "x" }), "Json", "application/json")).statusCode).toBe(400);
      expect((await upload(tokens.sales, wav(1), "Octets", "application/octet-stream")).statusCode).toBe(415);
      expect(await stored()).toEqual(before);
    });

    it("each user manages their own; an admin lists the company's but changes none of another user's; others see nothing", async () => {
      const [first, second] = await list(tokens.sales);
      expect(first).toBeDefined();
      expect(second).toBeDefined();
      const before = await stored();
      expect((await call(null, "GET", voicemailPaths.greetings)).statusCode).toBe(401);
      expect((await call(tokens.sales, "GET", `${voicemailPaths.greetings}?scope=company`)).statusCode).toBe(403);
      expect((await list(tokens.admin)).map((g) => g.id)).toEqual([]);
      expect((await list(tokens.admin, "company")).map((g) => g.id)).toEqual([first!.id, second!.id]);
      expect((await list(tokens.other, "company")).map((g) => g.id)).toEqual([]);
      expect((await call(tokens.admin, "GET", greetingPath(voicemailPaths.greetingAudio, first!.id))).statusCode).toBe(200);
      for (const token of [tokens.admin, tokens.other]) {
        expect((await call(token, "PATCH", greetingPath(voicemailPaths.greeting, first!.id), { name: "Taken" })).statusCode).toBe(404);
        expect((await call(token, "PATCH", greetingPath(voicemailPaths.greeting, second!.id), { isDefault: true })).statusCode).toBe(404);
        expect((await call(token, "DELETE", greetingPath(voicemailPaths.greeting, first!.id))).statusCode).toBe(404);
      }
      expect((await call(tokens.other, "GET", greetingPath(voicemailPaths.greetingAudio, first!.id))).statusCode).toBe(404);
      expect((await call(tokens.sales, "PATCH", greetingPath(voicemailPaths.greeting, first!.id), { name: "" })).statusCode).toBe(400);
      expect((await call(tokens.sales, "PATCH", greetingPath(voicemailPaths.greeting, first!.id), {})).statusCode).toBe(400);
      expect((await call(tokens.sales, "PATCH", greetingPath(voicemailPaths.greeting, first!.id), { isDefault: false })).statusCode).toBe(400);
      expect((await call(tokens.sales, "PATCH", "/api/voicemail/greetings/abc", { name: "x" })).statusCode).toBe(400);
      expect(await stored()).toEqual(before);
    });

    it("the owner renames, moves the default, and deletes; the default passes to a remaining greeting", async () => {
      const [first, second] = await list(tokens.sales);
      const renamed = await call(tokens.sales, "PATCH", greetingPath(voicemailPaths.greeting, second!.id), { name: "  Second try  ", isDefault: true });
      expect(renamed.statusCode, renamed.body).toBe(200);
      expect(Greeting.parse(renamed.json())).toMatchObject({ name: "Second try", isDefault: true });
      expect((await list(tokens.sales)).map((g) => [g.id, g.isDefault])).toEqual([[first!.id, false], [second!.id, true]]);
      expect((await call(tokens.sales, "DELETE", greetingPath(voicemailPaths.greeting, second!.id))).statusCode).toBe(200);
      expect((await list(tokens.sales)).map((g) => [g.id, g.isDefault])).toEqual([[first!.id, true]]);
      expect((await call(tokens.sales, "DELETE", greetingPath(voicemailPaths.greeting, second!.id))).statusCode).toBe(404);
    });

    it("a drop is refused for a malformed, unknown or someone else's call, or someone else's greeting; the PBX's media link needs a live token", async () => {
      const [mine] = await list(tokens.sales);
      const drop = (token: string, id: string, body: object) => call(token, "POST", voicemailPaths.drop.replace(":clientCallId", id), body);
      expect((await drop(tokens.sales, "not-a-uuid", { greetingId: mine!.id })).statusCode).toBe(400);
      expect((await drop(tokens.sales, "7d3c1f0e-1111-4222-8333-944455556666", { greetingId: "1" })).statusCode).toBe(400);
      expect((await drop(tokens.sales, "7d3c1f0e-1111-4222-8333-944455556666", { greetingId: mine!.id })).json()).toMatchObject({ code: "not_found" });
      expect(Number((await server.db("voicemail_drops").count<{ n: number | string }[]>({ n: "*" }))[0]?.n)).toBe(0);
      expect((await call(null, "POST", voicemailPaths.drop.replace(":clientCallId", "7d3c1f0e-1111-4222-8333-944455556666"), {})).statusCode).toBe(401);
      const media = (file: string) => server.app.inject({ method: "GET", url: `/pbx/authorize/vm-drop/${file}` });
      expect((await media(`${"ab".repeat(32)}.wav`)).statusCode).toBe(404);
      expect((await media("../../etc/passwd")).statusCode).toBe(404);
      expect((await media(`${"ab".repeat(31)}.wav`)).statusCode).toBe(400);
      expect((await server.app.inject({ method: "HEAD", url: `/pbx/authorize/vm-drop/${"ab".repeat(32)}.wav` })).statusCode).toBe(404);
    });
  });
}
