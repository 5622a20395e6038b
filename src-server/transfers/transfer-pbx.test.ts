import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChainReply, TransferReply, transferPaths } from "../../src-shared/server-api/transfers";
import { listUserCalls, type CallRecord } from "../db/calls-repo";
import { ensureEndpoint } from "../db/pbx-endpoints-repo";
import { findUserByEmail } from "../db/users-repo";
import { header } from "../pbx/ami-message";
import { changedFields } from "../pbx/testing/cdr-watch";
import { ingestRecording } from "../recordings/ingest-recording";
import { sourcesIn } from "../recordings/recording-ingest-service";
import { directoryStorage } from "../recordings/recording-storage";
import { setVoicemailEmailSetting } from "../voicemail-mail/voicemail-mail-repo";
import { startDtmfFarEnd, type DtmfFarEnd, type DtmfFarEndCall, type DtmfFarEndPlan } from "../pbx/testing/sip-dtmf-far-end";
import { startAmiRig, type AmiRig, type RigUser, type TestLine } from "../test-support/ami-rig";
import { bearer, demoCredentials } from "../test-support/test-server";

// Transfers through a real Asterisk: the sales user's call (a Local channel in
// from-users, as the softphone's INVITE runs) reaches a far end on the test
// trunk; the third party is another number on the same far end, which hangs
// up after a few seconds so its leg ends and is billed.
const thirdPartyTalkMs = 3_000;
const thirdParties = new Set(["+12015550182", "+12015550185", "+12015550187"]);
// The other party who leaves the teammate a message: on the line through the
// transfer, vm-intro (5.7 s) and the beep, then a few seconds of recording.
const leavesMessage = new Set(["+12015550188", "+12015550180"]);
const messageCallMs = 11_000;
/** How long the teammate talks when their app answers. */
const teammateTalkMs = 3_000;

let rig: AmiRig<DtmfFarEnd>;
let sales: RigUser;
let admin: RigUser;
/** Stands in for the admin's app: the contact their endpoint registers, which keeps every INVITE it gets and answers 486. */
let adminLine: TestLine;
let adminPlan: DtmfFarEndPlan = { kind: "reject", code: 486, reason: "Busy Here" };
/** The server's recording storage, where the teammate's voicemail lands. */
let storageDir: string;

beforeAll(async () => {
  rig = await startAmiRig({
    name: "vt-transfer",
    trunkFarEnd: (port) =>
      startDtmfFarEnd(port, (uri) => ({
        kind: "answer",
        ringMs: 200,
        hangUpAfterMs: [...thirdParties].some((n) => uri.includes(n)) ? thirdPartyTalkMs : [...leavesMessage].some((n) => uri.includes(n)) ? messageCallMs : 60_000,
      })),
  });
  storageDir = await mkdtemp(join(tmpdir(), "vt-transfer-"));
  sales = await rig.user(demoCredentials.sales);
  admin = await rig.user(demoCredentials.admin);
  // The teammate's app: answers or refuses as busy, as each test sets it.
  adminLine = await rig.registerLine(admin, () => adminPlan);
}, 120_000);

afterAll(async () => {
  await rig?.stop();
  if (storageDir !== undefined) await rm(storageDir, { recursive: true, force: true });
});

const callOf = (clientCallId: string): Promise<CallRecord | undefined> => rig.callOf(sales.id, clientCallId);
const transfer = (clientCallId: string, payload: object) => rig.server.app.inject({ method: "POST", url: transferPaths.transfer.replace(":clientCallId", clientCallId), headers: bearer(sales.token), payload });
/** The teammate's record of a transferred call: keyed on the other party's channel. */
const legOf = async (farUniqueid: string): Promise<(CallRecord & { voicemail: boolean }) | undefined> => {
  const record = await rig.legOf(admin.id, farUniqueid);
  const row = await rig.server.db("calls").where({ pbx_uniqueid: farUniqueid }).first<{ voicemail: boolean | number } | undefined>("voicemail");
  return record === undefined || row === undefined ? undefined : { ...record, voicemail: Boolean(row.voicemail) };
};
/** RTP packets the far end heard since `since` that are not PCMU silence: the prompt. */
const promptPackets = (call: DtmfFarEndCall, since: number): number => call.heard.filter((p) => p.at >= since && p.payload.some((b) => b !== 0xff && b !== 0x7f)).length;
/** The message Record left in the spool under the leg's uniqueid, ingested as the server does it; its recording's id. */
async function ingestVoicemail(farUniqueid: string): Promise<number> {
  const dir = rig.pbx.facts.recordingsDir;
  const [source] = sourcesIn(dir, (await readdir(dir)).filter((name) => name.startsWith(farUniqueid)));
  expect(source?.mix).toBe(join(dir, `${farUniqueid}.wav`));
  const result = await ingestRecording(rig.server.db, directoryStorage(storageDir), source!, Date.now());
  expect(result.status).toBe("ingested");
  return result.status === "ingested" ? result.recording.id : 0;
}

describe("transfers through a real Asterisk", () => {
  it("blind: the third party is dialed as the user's own authorized call, the user is freed, and that leg is charged once", async () => {
    const { clientCallId, uniqueid } = await rig.answeredCall(sales, "+12015550181", 40);
    const reply = await transfer(clientCallId, { mode: "blind", to: "+12015550182" });
    expect(reply.statusCode, reply.body).toBe(200);
    const { legClientCallId } = TransferReply.parse(reply.json());

    await rig.log.waitFor("Hangup", { uniqueid }, 3_000);
    // The third party rings and answers while the original other party is still on the line.
    await expect.poll(() => rig.farCall("+12015550182")?.answeredAt ?? null, { timeout: 10_000 }).not.toBeNull();
    expect(rig.farCall("+12015550181")?.endedAt).toBeNull();
    // The new leg went through authorize as the sales user's call.
    await expect.poll(async () => (await callOf(legClientCallId))?.status ?? null, { timeout: 5_000 }).not.toBeNull();
    // The third party hangs up: its leg ends, and the PBX ends the original other party's channel with it.
    await expect.poll(() => rig.farCall("+12015550181")?.endedBy ?? null, { timeout: thirdPartyTalkMs + 10_000 }).toBe("near");
    await expect.poll(async () => (await callOf(legClientCallId))?.status, { timeout: 10_000 }).toBe("ended");
    await rig.cdrs.settled(() => rig.calls.whenIdle());

    const leg = (await callOf(legClientCallId))!;
    expect(leg).toMatchObject({ number: "+12015550182", disposition: "answered", dialStatus: "ANSWER" });
    expect(leg.billedSeconds).toBeGreaterThanOrEqual(Math.floor(thirdPartyTalkMs / 1000) - 1);
    expect(leg.costMicros).toBeGreaterThan(0);
    expect(await rig.charged(leg.pbxUniqueid)).toBe(leg.costMicros);
    const original = (await callOf(clientCallId))!;
    expect(original).toMatchObject({ status: "ended", disposition: "answered" });
    expect(await rig.server.db("call_transfers").where({ call_id: original.id }).first()).toMatchObject({ mode: "blind", to_number: "+12015550182", leg_client_call_id: legClientCallId });

    // Every CDR read back again from Asterisk's store changes nothing: each call charged once.
    await rig.rereadCdrStore();
    expect(await rig.charged(leg.pbxUniqueid)).toBe(leg.costMicros);
    expect(await rig.charged(uniqueid)).toBe(original.costMicros);
    expect(changedFields(leg, await callOf(legClientCallId))).toEqual({});
    // A second transfer of the ended call is refused.
    expect((await transfer(clientCallId, { mode: "blind", to: "+12015550183" })).statusCode).toBe(409);
    expect(rig.problems).toEqual([]);
  }, 60_000);

  it("a blocked destination (premium rate) is refused with a clear error, and the call goes on untouched", async () => {
    const { clientCallId, uniqueid } = await rig.answeredCall(sales, "+12015550184", 40);
    const callsBefore = (await listUserCalls(rig.server.db, sales.id)).length;
    const reply = await transfer(clientCallId, { mode: "blind", to: "+19002345678" });
    expect(reply.statusCode, reply.body).toBe(403);
    expect(reply.json<{ code: string; message: string }>()).toMatchObject({ code: "transfer_refused", message: expect.stringMatching(/\+19002345678 is a blocked destination/) as unknown });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(rig.farCall("+12015550184")?.endedAt).toBeNull();
    expect(rig.log.matching("Hangup", { uniqueid })).toHaveLength(0);
    expect(rig.farEnd.calls.some((c) => c.requestUri.includes("+19002345678"))).toBe(false);
    expect((await listUserCalls(rig.server.db, sales.id)).length).toBe(callsBefore);
    const original = (await callOf(clientCallId))!;
    expect(await rig.server.db("call_transfers").where({ call_id: original.id }).first()).toBeUndefined();
    // Still transferable afterwards: nothing was left half-done.
    const ok = await transfer(clientCallId, { mode: "blind", to: "+12015550185" });
    expect(ok.statusCode, ok.body).toBe(200);
    await expect.poll(() => rig.farCall("+12015550185")?.answeredAt ?? null, { timeout: 10_000 }).not.toBeNull();
  }, 40_000);

  it("attended: the consultation call's third party is joined to the first call's other party, and both user legs end", async () => {
    const first = await rig.answeredCall(sales, "+12015550186", 40);
    const consult = await rig.answeredCall(sales, "+12015550187", 40);
    const far1 = rig.server.channels!.live(first.uniqueid)!.far!.channel;
    const far2 = rig.server.channels!.live(consult.uniqueid)!.far!.channel;
    const reply = await transfer(first.clientCallId, { mode: "attended", consultClientCallId: consult.clientCallId });
    expect(reply.statusCode, reply.body).toBe(200);
    expect(TransferReply.parse(reply.json())).toMatchObject({ mode: "attended", to: "+12015550187", legClientCallId: consult.clientCallId });
    await rig.log.waitFor("Hangup", { uniqueid: first.uniqueid }, 3_000);
    await rig.log.waitFor("Hangup", { uniqueid: consult.uniqueid }, 3_000);
    // The two other parties stay up, in one bridge together.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(rig.farCall("+12015550186")?.endedAt).toBeNull();
    expect(rig.farCall("+12015550187")?.endedAt).toBeNull();
    // Each other party's bridge peer is now the other one.
    expect(await rig.peer(far1)).toBe(far2);
    expect(await rig.peer(far2)).toBe(far1);
    // An attended transfer to the call itself, or to a call that is not the user's, is refused.
    expect((await transfer(first.clientCallId, { mode: "attended", consultClientCallId: first.clientCallId })).statusCode).toBe(409);
    await expect.poll(() => rig.farCall("+12015550186")?.endedBy ?? null, { timeout: thirdPartyTalkMs + 10_000 }).toBe("near");
    await rig.calls.whenIdle();
    // The consultation call carried the third party on: billed from its answer to the end of the bridged talk, charged once.
    await expect.poll(async () => (await callOf(consult.clientCallId))?.billedSeconds ?? 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(Math.floor(thirdPartyTalkMs / 1000) - 1);
    await rig.cdrs.settled(() => rig.calls.whenIdle());
    const leg = (await callOf(consult.clientCallId))!;
    expect(leg).toMatchObject({ status: "ended", disposition: "answered" });
    expect(leg.costMicros).toBeGreaterThan(0);
    expect(await rig.charged(consult.uniqueid)).toBe(leg.costMicros);
    await rig.rereadCdrStore();
    expect(await rig.charged(consult.uniqueid)).toBe(leg.costMicros);
    expect(changedFields(leg, await callOf(consult.clientCallId))).toEqual({});
    // No call record for the far channels' own CDRs.
    expect((await listUserCalls(rig.server.db, sales.id)).filter((c) => c.number === "+12015550187")).toHaveLength(1);
  }, 40_000);
  it("blind to a teammate who answers: the PBX rings their app with the caller and who transferred; the leg is theirs in history and not charged", async () => {
    adminPlan = { kind: "answer", ringMs: 300, hangUpAfterMs: teammateTalkMs };
    const { clientCallId, uniqueid } = await rig.answeredCall(sales, "+12015550189", 40);
    const far = rig.server.channels!.live(uniqueid)!.far!;
    const ringsBefore = adminLine.phone.calls.length;
    const transferredAt = Date.now();
    const reply = await transfer(clientCallId, { mode: "blind", toUserId: admin.id });
    expect(reply.statusCode, reply.body).toBe(200);
    const { legClientCallId } = TransferReply.parse(reply.json());
    await rig.log.waitFor("Hangup", { uniqueid }, 3_000);
    // The teammate's record exists from the transfer on, open while the call goes on.
    expect(await legOf(far.uniqueid)).toMatchObject({ userId: admin.id, direction: "inbound", number: "+12015550189", status: "authorized", clientCallId: legClientCallId, transferredBy: "Sora Sales" });
    await expect.poll(() => adminLine.phone.calls.length, { timeout: 10_000 }).toBe(ringsBefore + 1);
    const ring = adminLine.phone.calls.at(-1)!;
    expect(ring.requestUri).toMatch(new RegExp(`^sip:${admin.endpointId}@127\\.0\\.0\\.1:${adminLine.port}`));
    expect(ring.headers.get("from")).toEqual([expect.stringMatching(/<sip:\+12015550189@/)]);
    expect(ring.headers.get("x-caller-transferred-by")).toEqual(["Sora%20Sales"]);
    expect(rig.log.matching("DialBegin", { dialstring: /test-trunk/ }).filter((e) => header(e, "uniqueid") === far.uniqueid)).toEqual([]);
    // The teammate talks, then hangs up: the PBX ends the other party's channel with it.
    await expect.poll(() => rig.farCall("+12015550189")?.endedBy ?? null, { timeout: teammateTalkMs + 10_000 }).toBe("near");
    await rig.calls.whenIdle();
    await expect.poll(async () => (await legOf(far.uniqueid))?.status, { timeout: 10_000 }).toBe("ended");
    await rig.cdrs.settled(() => rig.calls.whenIdle());
    const leg = (await legOf(far.uniqueid))!;
    expect(leg).toMatchObject({ userId: admin.id, direction: "inbound", number: "+12015550189", disposition: "answered", costMicros: null, transferredBy: "Sora Sales" });
    // Duration: from the teammate's answer to the end. Their Dial's CDR is stamped answered at the Redirect (the other
    // party's channel is up), 300 ms of ringing earlier; the answer AMI reported is what counts.
    expect(leg.answeredAt!).toBeGreaterThan(transferredAt);
    expect(leg.answeredAt!).toBeGreaterThanOrEqual(ring.answeredAt! - 100);
    expect(leg.answeredAt!).toBeLessThanOrEqual(ring.answeredAt! + 1_000);
    expect(leg.billedSeconds).toBeGreaterThanOrEqual(Math.floor(teammateTalkMs / 1000) - 1);
    expect(leg.billedSeconds).toBeLessThanOrEqual(Math.ceil(teammateTalkMs / 1000) + 1);
    expect(leg.endedAt! - leg.answeredAt!).toBeLessThan(teammateTalkMs + 2_000);
    // Not charged; the first call is charged once, as before (until the user's leg ended).
    await expect.poll(async () => (await callOf(clientCallId))?.status, { timeout: 10_000 }).toBe("ended");
    const original = (await callOf(clientCallId))!;
    expect(await rig.charged(uniqueid)).toBe(original.costMicros);
    expect(await rig.chargeRows(far.uniqueid)).toBe(0);
    await rig.rereadCdrStore();
    expect(changedFields(leg, await legOf(far.uniqueid))).toEqual({});
    expect(await callOf(clientCallId)).toEqual(original);
    expect(await rig.charged(uniqueid)).toBe(original.costMicros);
    expect(await rig.chargeRows(far.uniqueid)).toBe(0);
    // The transferring user has the one call; the teammate's leg is in its chain.
    expect((await listUserCalls(rig.server.db, sales.id)).filter((c) => c.number === "+12015550189")).toHaveLength(1);
    const chain = await rig.server.app.inject({ method: "GET", url: transferPaths.chain.replace(":callId", String(original.id)), headers: bearer(sales.token) });
    expect(ChainReply.parse(chain.json()).entries).toEqual([expect.objectContaining({ role: "from", toName: "Aiko Admin", linkedCallId: null })]);
    expect(rig.problems).toEqual([]);
  }, 60_000);

  it("blind to a teammate who declines, or has no app signed in: the other party hears the prompt and leaves a message, which is the teammate's voicemail", async () => {
    adminPlan = { kind: "reject", code: 486, reason: "Busy Here" };
    const { clientCallId, uniqueid } = await rig.answeredCall(sales, "+12015550188", 40);
    const far = rig.server.channels!.live(uniqueid)!.far!;
    const original = (await callOf(clientCallId))!;
    const otherCompanyAdmin = (await findUserByEmail(rig.server.db, demoCredentials.otherAdmin.email))!;
    await ensureEndpoint(rig.server.db, otherCompanyAdmin, Date.now());
    // Refused with a clear reason, and nothing changes: the user themself, and someone of no company of theirs.
    for (const [toUserId, message] of [
      [sales.id, /cannot transfer a call to yourself/],
      [otherCompanyAdmin.id, /not a user of your company/],
      [987_654, /not a user of your company/],
    ] as const) {
      const refused = await transfer(clientCallId, { mode: "blind", toUserId });
      expect(refused.statusCode, refused.body).toBe(403);
      expect(refused.json<{ code: string; message: string }>()).toMatchObject({ code: "transfer_refused", message: expect.stringMatching(message) as unknown });
    }
    expect(await rig.server.db("call_transfers").where({ call_id: original.id }).first()).toBeUndefined();
    expect(await legOf(far.uniqueid)).toBeUndefined();

    const transferredAt = Date.now();
    const ringsBefore = adminLine.phone.calls.length;
    const reply = await transfer(clientCallId, { mode: "blind", toUserId: admin.id });
    expect(reply.statusCode, reply.body).toBe(200);
    expect(TransferReply.parse(reply.json())).toMatchObject({ mode: "blind", to: "Aiko Admin" });
    await rig.log.waitFor("Hangup", { uniqueid }, 3_000);
    await expect.poll(() => adminLine.phone.calls.length, { timeout: 10_000 }).toBe(ringsBefore + 1);
    // Declined: the other party is not hung up on; they hear vm-intro, then are recorded until they hang up.
    await expect.poll(() => rig.farCall("+12015550188")?.endedBy ?? null, { timeout: messageCallMs + 10_000 }).toBe("far");
    expect(promptPackets(rig.farCall("+12015550188")!, transferredAt)).toBeGreaterThanOrEqual(100);
    await rig.calls.whenIdle();
    await expect.poll(async () => (await legOf(far.uniqueid))?.voicemail ?? false, { timeout: 10_000 }).toBe(true);
    const leg = (await legOf(far.uniqueid))!;
    // Declined (486): busy, as an inbound call every member declined reads.
    expect(leg).toMatchObject({ userId: admin.id, direction: "inbound", number: "+12015550188", status: "ended", disposition: "busy", answeredAt: null, costMicros: null });
    expect(await rig.chargeRows(far.uniqueid)).toBe(0);
    expect(await rig.charged(uniqueid)).toBe((await callOf(clientCallId))!.costMicros);
    // The message: a file under the leg's uniqueid in the spool, ingested as the leg's recording, emailed to the teammate alone.
    const recordingId = await ingestVoicemail(far.uniqueid);
    expect(await rig.server.db("recordings").where({ id: recordingId }).first()).toMatchObject({ user_id: admin.id });
    const stored = await rig.server.db("recordings").where({ id: recordingId }).first<{ duration_ms: number | string } | undefined>("duration_ms");
    expect(Number(stored?.duration_ms)).toBeGreaterThan(1_000);
    expect((await rig.server.db("voicemail_emails").where({ recording_id: recordingId })).map((r: { user_id: number | string }) => Number(r.user_id))).toEqual([admin.id]);

    // Signed out everywhere: nothing rings, the message is offered at once.
    expect(await adminLine.register(0)).toBe(200);
    const second = await rig.answeredCall(sales, "+12015550180", 40);
    const secondFar = rig.server.channels!.live(second.uniqueid)!.far!;
    const secondAt = Date.now();
    const rings = adminLine.phone.calls.length;
    expect((await transfer(second.clientCallId, { mode: "blind", toUserId: admin.id })).statusCode).toBe(200);
    await expect.poll(() => rig.farCall("+12015550180")?.endedBy ?? null, { timeout: messageCallMs + 10_000 }).toBe("far");
    expect(adminLine.phone.calls.length).toBe(rings);
    expect(promptPackets(rig.farCall("+12015550180")!, secondAt)).toBeGreaterThanOrEqual(100);
    await expect.poll(async () => (await legOf(secondFar.uniqueid))?.voicemail ?? false, { timeout: 10_000 }).toBe(true);
    // Nobody to ring reads as not answered (the app shows it missed), never as the caller giving up.
    expect(await legOf(secondFar.uniqueid)).toMatchObject({ userId: admin.id, status: "ended", disposition: "no_answer", answeredAt: null, costMicros: null });
    // This time the teammate has turned the email off: the message is kept, nothing is mailed.
    await setVoicemailEmailSetting(rig.server.db, admin.id, false);
    const secondRecording = await ingestVoicemail(secondFar.uniqueid);
    expect(await rig.server.db("voicemail_emails").where({ recording_id: secondRecording })).toEqual([]);
    expect(rig.problems).toEqual([]);
  }, 90_000);

  it("with recording enforced and announced, the teammate's voicemail plays the recording notice before vm-intro, as the company's number does; without it, none", async () => {
    // AMI's event filter passes no Newexten: Asterisk's own log (verbose 3) names each application a channel ran.
    const playbacks = async (channel: string | null): Promise<string[]> =>
      (await readFile(rig.pbx.facts.logFile, "utf8"))
        .split("\n")
        .filter((line) => line.includes("@transfer-user:") && line.includes(channel === null ? "Playback(" : `Playback("${channel}"`))
        .map((line) => /Playback\("[^"]*", "([^"]*)"\)/.exec(line)?.[1] ?? "");
    // The cases above ran with the seed's policy (recording off): their messages had vm-intro alone.
    expect(await playbacks(null)).toContain("vm-intro");
    expect(await playbacks(null)).not.toContain("beep");
    const companyId = (await findUserByEmail(rig.server.db, demoCredentials.sales.email))!.companyId;
    await rig.server.db("companies").where({ id: companyId }).update({ recording_enabled: true, recording_enforced: true, recording_consent: true });
    try {
      adminPlan = { kind: "reject", code: 486, reason: "Busy Here" };
      expect(await adminLine.register(600)).toBe(200);
      const { clientCallId, uniqueid } = await rig.answeredCall(sales, "+12015550178", 40);
      const far = rig.server.channels!.live(uniqueid)!.far!;
      expect((await transfer(clientCallId, { mode: "blind", toUserId: admin.id })).statusCode).toBe(200);
      await expect.poll(() => playbacks(far.channel), { timeout: 10_000 }).toEqual(["beep", "vm-intro"]);
      await rig.ami.action({ Action: "Hangup", Channel: far.channel, Cause: 16 });
    } finally {
      await rig.server.db("companies").where({ id: companyId }).update({ recording_enabled: false, recording_enforced: false, recording_consent: true });
    }
  }, 40_000);
});
