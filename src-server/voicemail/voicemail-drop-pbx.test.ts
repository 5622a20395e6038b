import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encode } from "node-wav";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Greeting, VoicemailDropReply, voicemailPaths } from "../../src-shared/server-api/voicemail";
import type { CallRecord } from "../db/calls-repo";
import { originate } from "../pbx/ami-originate";
import { startDtmfFarEnd, type DtmfFarEnd, type DtmfFarEndCall } from "../pbx/testing/sip-dtmf-far-end";
import { directoryStorage } from "../recordings/recording-storage";
import { startAmiRig, type AmiRig, type RigUser } from "../test-support/ami-rig";
import { bearer, demoCredentials } from "../test-support/test-server";

// A voicemail drop through a real Asterisk: the sales user's call (a Local
// channel in from-users, as the softphone's INVITE runs) reaches a far end on
// the test trunk that answers like an answering machine and keeps what it
// hears. The greeting is a 1 kHz tone, uploaded at 16 kHz stereo and converted
// by the server; the far end must hear that tone for the greeting's length.
const number = "+12015550161";
const toneHz = 1000;
const greetingSeconds = 3;

let rig: AmiRig<DtmfFarEnd>;
let storageDir: string;
let sales: RigUser;

/** 16 kHz stereo 16-bit: 0.5 s of silence, the tone, 0.5 s of silence (so its start and end are both seen). */
function greetingWav(): Buffer {
  const rate = 16_000;
  const samples = new Float32Array(rate * (greetingSeconds + 1));
  for (let i = rate / 2; i < rate * (greetingSeconds + 0.5); i += 1) samples[i] = 0.5 * Math.sin((2 * Math.PI * toneHz * i) / rate);
  return encode([samples, samples], { sampleRate: rate, bitDepth: 16 });
}

/** G.711 μ-law byte → linear sample (ITU-T G.711). */
function ulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return u & 0x80 ? 0x84 - t : t - 0x84;
}

/** Goertzel power of `hz` relative to the frame's total power (1: a pure tone at hz). */
function toneShare(frame: Float64Array, hz: number, rate = 8000): number {
  const k = 2 * Math.cos((2 * Math.PI * hz) / rate);
  let s1 = 0;
  let s2 = 0;
  let energy = 0;
  for (const x of frame) {
    const s = x + k * s1 - s2;
    s2 = s1;
    s1 = s;
    energy += x * x;
  }
  const power = s1 * s1 + s2 * s2 - k * s1 * s2;
  return energy === 0 ? 0 : (2 * power) / (frame.length * energy);
}

/** Arrival times of the 20 ms packets whose audio is the tone. */
function toneFrames(call: DtmfFarEndCall): number[] {
  return call.heard
    .filter(({ payload }) => {
      const frame = Float64Array.from(payload, ulawToLinear);
      const rms = Math.sqrt(frame.reduce((sum, x) => sum + x * x, 0) / frame.length);
      return rms > 1000 && toneShare(frame, toneHz) > 0.8;
    })
    .map(({ at }) => at);
}

beforeAll(async () => {
  storageDir = await mkdtemp(join(tmpdir(), "vt-vm-drop-"));
  rig = await startAmiRig({
    name: "vt-vm-drop",
    // Answers after 200 ms and never hangs up by itself: the PBX has to end the call.
    trunkFarEnd: (port) => startDtmfFarEnd(port, () => ({ kind: "answer", ringMs: 200, hangUpAfterMs: 60_000 })),
    recordings: { storage: directoryStorage(storageDir), pbx: null },
  });
  sales = await rig.user(demoCredentials.sales);
}, 120_000);

afterAll(async () => {
  await rig?.stop();
  if (storageDir !== undefined) await rm(storageDir, { recursive: true, force: true });
});

/** Places the sales user's call to `to`; resolves once the far end answered and AMI reported it. */
async function answeredCall(to: string): Promise<{ clientCallId: string; uniqueid: string; far: () => DtmfFarEndCall }> {
  const { clientCallId, uniqueid } = await rig.answeredCall(sales, to, 40);
  return { clientCallId, uniqueid, far: () => rig.farCall(to)! };
}

const inject = (method: "GET" | "POST", url: string, payload?: object) => rig.server.app.inject({ method, url, headers: bearer(sales.token), ...(payload === undefined ? {} : { payload }) });
const callOf = (clientCallId: string): Promise<CallRecord | undefined> => rig.callOf(sales.id, clientCallId);

describe("a voicemail drop through a real Asterisk", () => {
  it("plays the greeting in full to the far end, frees the caller at once, hangs up after it, logs Left voicemail and bills the greeting once", async () => {
    const upload = await rig.server.app.inject({ method: "POST", url: `${voicemailPaths.greetings}?name=Follow-up`, headers: { ...bearer(sales.token), "content-type": "audio/wav" }, payload: greetingWav() });
    expect(upload.statusCode, upload.body).toBe(200);
    const greeting = Greeting.parse(upload.json());
    expect(greeting).toMatchObject({ durationMs: (greetingSeconds + 1) * 1000, isDefault: true });

    const { clientCallId, uniqueid, far } = await answeredCall(number);
    // The machine's own greeting plays for a while before its beep.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(toneFrames(far())).toEqual([]);

    const droppedAt = Date.now();
    const reply = await inject("POST", voicemailPaths.drop.replace(":clientCallId", clientCallId), { greetingId: greeting.id });
    expect(reply.statusCode, reply.body).toBe(200);
    expect(VoicemailDropReply.parse(reply.json())).toMatchObject({ greetingId: greeting.id, outcomeLogged: true });

    // The caller's leg ends at the drop, while the far end is still up.
    await rig.log.waitFor("Hangup", { uniqueid }, 3_000);
    expect(Date.now() - droppedAt).toBeLessThan(2_000);
    expect(far().endedAt).toBeNull();
    // The PBX hangs the far end up once the greeting has played.
    await expect.poll(() => far()?.endedBy ?? null, { timeout: 15_000 }).toBe("near");
    const ended = far().endedAt!;

    const tone = toneFrames(far());
    const toneMs = tone.length * 20;
    expect(toneMs).toBeGreaterThan((greetingSeconds - 0.3) * 1000);
    expect(toneMs).toBeLessThan((greetingSeconds + 0.3) * 1000);
    expect(tone[0]!).toBeGreaterThan(droppedAt);
    // Hung up after the greeting's trailing silence, not before.
    expect(ended - tone.at(-1)!).toBeGreaterThanOrEqual(300);
    expect(ended - droppedAt).toBeLessThan((greetingSeconds + 1) * 1000 + 2_500);

    // The user's leg ended within a moment of the drop, long before the far end.
    const userLegEnd = rig.log.matching("Hangup", { uniqueid });
    expect(userLegEnd).toHaveLength(1);
    expect(ended - droppedAt).toBeGreaterThan(greetingSeconds * 1000);

    // Billed from the answer to the greeting's end, in one call record with the outcome.
    await expect.poll(async () => (await callOf(clientCallId))?.endedAt ?? 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(ended - 1_000);
    await rig.calls.whenIdle();
    const record = (await callOf(clientCallId))!;
    expect(record).toMatchObject({ status: "ended", disposition: "answered", dialStatus: "ANSWER", hangupCause: 16, outcomeKey: "left_voicemail" });
    const answeredAt = far().answeredAt!;
    expect(record.billedSeconds).toBeGreaterThanOrEqual(Math.floor((ended - answeredAt) / 1000) - 1);
    expect(record.billedSeconds).toBeGreaterThanOrEqual(Math.floor((droppedAt - answeredAt) / 1000) + greetingSeconds);
    expect(record.costMicros).toBeGreaterThan(0);
    expect(await rig.charged(uniqueid)).toBe(record.costMicros);

    // Every CDR read back again from Asterisk's store changes nothing: charged once.
    await rig.rereadCdrStore();
    expect(await rig.charged(uniqueid)).toBe(record.costMicros);
    expect(await callOf(clientCallId)).toEqual(record);

    // A second drop on the ended call is refused.
    expect((await inject("POST", voicemailPaths.drop.replace(":clientCallId", clientCallId), { greetingId: greeting.id })).statusCode).toBe(409);

    // Asterisk logged the URL it played: it holds the one-time token and no secret, and is dead now.
    const messages = await readFile(rig.pbx.facts.logFile, "utf8");
    const url = /https?:\/\/\S+\/vm-drop\/[0-9a-f]{64}\.wav/.exec(messages)?.[0];
    expect(url).toBeDefined();
    for (const secret of [rig.pbx.facts.authorizeSecret, rig.pbx.facts.amiSecret]) expect(messages).not.toContain(secret);
    expect((await fetch(url!)).status).toBe(404);
    expect(rig.problems).toEqual([]);
  }, 60_000);

  it("an outcome the user chose before the drop stays; no greetingId plays their default", async () => {
    const { clientCallId, far } = await answeredCall("+12015550162");
    const outcomes = (await inject("GET", "/api/outcomes")).json<{ outcomes: { id: number; key: string | null }[] }>().outcomes;
    const connected = outcomes.find((o) => o.key === "connected")!;
    const logged = await inject("POST", `/api/calls/${clientCallId}/outcome`, { outcomeId: connected.id, idempotencyKey: randomUUID() });
    expect(logged.statusCode, logged.body).toBe(200);
    const reply = await inject("POST", voicemailPaths.drop.replace(":clientCallId", clientCallId), {});
    expect(reply.statusCode, reply.body).toBe(200);
    expect(VoicemailDropReply.parse(reply.json()).outcomeLogged).toBe(false);
    await expect.poll(() => far().endedBy ?? null, { timeout: 15_000 }).toBe("near");
    expect(toneFrames(far()).length * 20).toBeGreaterThan((greetingSeconds - 0.3) * 1000);
    await expect.poll(async () => (await callOf(clientCallId))?.status, { timeout: 10_000 }).toBe("ended");
    expect((await callOf(clientCallId))?.outcomeKey).toBe("connected");
  }, 40_000);

  it("a greeting longer than what is left of the call's authorized time is refused, and the call goes on", async () => {
    // The company's per-call limit of 60 s becomes the call's MAXS; a 60 s greeting no longer fits once a second is talked.
    await rig.server.db("companies").update({ max_call_seconds: 60 });
    try {
      const long = encode([new Float32Array(8000 * 60).map((_, i) => 0.5 * Math.sin((2 * Math.PI * toneHz * i) / 8000))], { sampleRate: 8000, bitDepth: 16 });
      const upload = await rig.server.app.inject({ method: "POST", url: `${voicemailPaths.greetings}?name=Long`, headers: { ...bearer(sales.token), "content-type": "audio/wav" }, payload: long });
      expect(upload.statusCode, upload.body).toBe(200);
      const { clientCallId, uniqueid, far } = await answeredCall("+12015550163");
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const reply = await inject("POST", voicemailPaths.drop.replace(":clientCallId", clientCallId), { greetingId: Greeting.parse(upload.json()).id });
      expect(reply.statusCode, reply.body).toBe(409);
      // Its own code, so the app can say which greeting fits instead of a generic conflict.
      expect(reply.json<{ code: string; message: string }>()).toMatchObject({ code: "greeting_too_long", message: expect.stringMatching(/60 s .* left/) as unknown });
      // Nothing played and nobody was hung up: the user can still talk or leave a message themselves.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(toneFrames(far())).toEqual([]);
      expect(far().endedAt).toBeNull();
      expect(rig.log.matching("Hangup", { uniqueid })).toHaveLength(0);
      expect(await rig.server.db("voicemail_drops").where({ call_uniqueid: uniqueid }).first()).toBeUndefined();
    } finally {
      await rig.server.db("companies").update({ max_call_seconds: 3600 });
    }
  }, 40_000);

  it("[vm-drop] without a valid token plays nothing and hangs up", async () => {
    const before = (await readFile(rig.pbx.facts.logFile, "utf8")).length;
    await originate(rig.ami, { channel: "Local/s@vm-drop", application: "Wait", data: "5", variables: { VMDROP_TOKEN: "../../etc/passwd" } });
    const hangup = await rig.log.waitFor("Hangup", { channel: /^Local\/s@vm-drop-[0-9a-f]+;2$/ }, 5_000);
    expect(hangup).toBeDefined();
    const after = (await readFile(rig.pbx.facts.logFile, "utf8")).slice(before);
    expect(after).not.toMatch(/Playing 'http/);
  }, 15_000);
});
