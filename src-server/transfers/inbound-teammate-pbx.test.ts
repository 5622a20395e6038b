import { randomUUID } from "node:crypto";
import { readdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freeUdpPort } from "../../e2e/support/asterisk";
import { ChainReply, TransferReply, transferPaths } from "../../src-shared/server-api/transfers";
import { reconcileCdrStore } from "../calls/cdr-store";
import type { CallsService } from "../calls/calls-service";
import { listUserCalls, type CallRecord } from "../db/calls-repo";
import { ensureEndpoint } from "../db/pbx-endpoints-repo";
import { findUserByEmail } from "../db/users-repo";
import { insertNumber } from "../inbound/inbound-repo";
import { AmiClient } from "../pbx/ami-client";
import { originate } from "../pbx/ami-originate";
import { header } from "../pbx/ami-message";
import { CdrWatch, changedFields } from "../pbx/testing/cdr-watch";
import { AmiEventLog } from "../pbx/testing/event-log";
import { registerAs } from "../pbx/testing/sip-register";
import { startDtmfFarEnd, type DtmfFarEnd, type DtmfFarEndCall, type DtmfFarEndPlan } from "../pbx/testing/sip-dtmf-far-end";
import { startPbxRig, type PbxRig } from "../test-support/pbx-rig";
import { allowInboundTeammateLeg } from "./inbound-teammate-leg";
import { bearer, demoCredentials } from "../test-support/test-server";

// An incoming call handed to a teammate through a real Asterisk. The caller is
// a Local channel into [from-trunk] on the company's number (its ;2 half runs
// the dialplan as a trunk's channel does and keys the call's record); the
// sales user's line answers it. The teammate (the admin) has one app, a UAS
// that answers or declines as each test sets it.
const did = "+81355550180";
const teammateTalkMs = 3_000;

let rig: PbxRig;
let salesPhone: DtmfFarEnd;
let adminPhone: DtmfFarEnd;
let adminPlan: DtmfFarEndPlan = { kind: "reject", code: 486, reason: "Busy Here" };
let ami: AmiClient;
let log: AmiEventLog;
let cdrs: CdrWatch;
let calls: CallsService;
let salesId: number;
let salesEndpoint: string;
let sales: string;
let adminId: number;

beforeAll(async () => {
  const testTrunk = await freeUdpPort();
  rig = await startPbxRig({ name: "vt-inbound-teammate", ports: { testTrunk } });
  const user = (await findUserByEmail(rig.server.db, demoCredentials.sales.email))!;
  salesId = user.id;
  const endpoint = await ensureEndpoint(rig.server.db, user, Date.now());
  salesEndpoint = endpoint.endpointId;
  sales = await rig.server.sessionFor(demoCredentials.sales);
  await insertNumber(rig.server.db, user.companyId, { number: did, label: "", userId: salesId, groupId: null, ringSeconds: 15 }, Date.now());
  const salesPhonePort = await freeUdpPort();
  salesPhone = await startDtmfFarEnd(salesPhonePort, () => ({ kind: "answer", ringMs: 200, hangUpAfterMs: 60_000 }));
  expect((await registerAs({ port: rig.pbx.facts.sipUdpPort, user: endpoint.endpointId, password: endpoint.password, expires: 600, contactPort: salesPhonePort })).status).toBe(200);
  const admin = (await findUserByEmail(rig.server.db, demoCredentials.admin.email))!;
  adminId = admin.id;
  const adminEp = await ensureEndpoint(rig.server.db, admin, Date.now());
  const adminPhonePort = await freeUdpPort();
  adminPhone = await startDtmfFarEnd(adminPhonePort, () => adminPlan);
  expect((await registerAs({ port: rig.pbx.facts.sipUdpPort, user: adminEp.endpointId, password: adminEp.password, expires: 600, contactPort: adminPhonePort })).status).toBe(200);
  const { amiHost, amiPort, amiUser, amiSecret } = rig.pbx.facts;
  ami = new AmiClient({ host: amiHost, port: amiPort, username: amiUser, secret: amiSecret });
  log = new AmiEventLog(ami);
  await ami.connect();
  cdrs = new CdrWatch(log, rig.pbx.facts.cdrDb);
  calls = rig.startCalls();
  await calls.waitUntilConnected(10_000);
}, 120_000);

afterAll(async () => {
  ami?.close();
  await rig?.stop();
  await salesPhone?.close();
  await adminPhone?.close();
});

const salesCalls = (): Promise<CallRecord[]> => listUserCalls(rig.server.db, salesId);
const callOf = async (clientCallId: string): Promise<CallRecord | undefined> => (await salesCalls()).find((c) => c.clientCallId === clientCallId);
/** The teammate's record of the leg, by the leg's id; with its voicemail mark. */
const legOf = async (legClientCallId: string): Promise<(CallRecord & { voicemail: boolean }) | undefined> => {
  const record = (await listUserCalls(rig.server.db, adminId)).find((c) => c.clientCallId === legClientCallId);
  const row = record === undefined ? undefined : await rig.server.db("calls").where({ id: record.id }).first<{ voicemail: boolean | number }>("voicemail");
  return record === undefined || row === undefined ? undefined : { ...record, voicemail: Boolean(row.voicemail) };
};
const transfer = (clientCallId: string, payload: object) => rig.server.app.inject({ method: "POST", url: transferPaths.transfer.replace(":clientCallId", clientCallId), headers: bearer(sales), payload });
const peer = async (channel: string): Promise<string | undefined> => header(await ami.action({ Action: "Getvar", Channel: channel, Variable: "BRIDGEPEER" }), "value");
const ledgerRows = async (uniqueid: string): Promise<number> => (await rig.server.db("ledger_entries").where({ pbx_uniqueid: uniqueid })).length;
const readBack = async (): Promise<void> => {
  await rig.server.db("pbx_cdr_cursors").update({ last_row_id: 0 });
  await reconcileCdrStore(rig.server.db, rig.pbx.facts.cdrDb, Date.now, { log: { warn: () => {} }, raters: rig.server.credits.raters });
};
/** The caller's Local channel (;1, which the test holds) hangs up after `ms`: the caller ending the call. */
const callerHangsUpAfter = (callerChannel: string, ms: number): void => {
  setTimeout(() => void ami.action({ Action: "Hangup", Channel: callerChannel.replace(/;2$/, ";1"), Cause: 16 }).catch(() => undefined), ms);
};

/** A call from `from` to the company's number, answered on the sales user's line: its record and the INVITE the line got. */
async function answeredIncoming(from: string): Promise<{ record: CallRecord; invite: DtmfFarEndCall }> {
  const rings = salesPhone.calls.length;
  await originate(ami, { channel: `Local/${did}@from-trunk/n`, application: "Wait", data: "60", callerId: `"" <${from}>` });
  await expect.poll(() => salesPhone.calls[rings]?.answeredAt ?? null, { timeout: 10_000 }).not.toBeNull();
  const invite = salesPhone.calls[rings]!;
  const mine = async (): Promise<CallRecord | undefined> => (await salesCalls()).find((c) => c.direction === "inbound" && c.number === from && c.status === "authorized");
  await expect.poll(async () => (await mine()) ?? null, { timeout: 5_000 }).not.toBeNull();
  const record = (await mine())!;
  await expect.poll(() => (rig.server.channels?.live(record.pbxUniqueid)?.answeredAt ?? null) !== null, { timeout: 5_000 }).toBe(true);
  return { record, invite };
}

async function chainOf(callId: number): Promise<ChainReply["entries"]> {
  const reply = await rig.server.app.inject({ method: "GET", url: transferPaths.chain.replace(":callId", String(callId)), headers: bearer(sales) });
  expect(reply.statusCode, reply.body).toBe(200);
  return ChainReply.parse(reply.json()).entries;
}

describe("an incoming call transferred to a teammate through a real Asterisk", () => {
  it("blind, answered: the teammate's app rings with the caller and who transferred; from the answer the leg is their own received call, uncharged, in the chain", async () => {
    adminPlan = { kind: "answer", ringMs: 300, hangUpAfterMs: teammateTalkMs };
    const { record, invite } = await answeredIncoming("+12015550190");
    const callerChannel = rig.server.channels!.live(record.pbxUniqueid)!.userChannel;
    const rings = adminPhone.calls.length;
    const transferAt = Date.now();
    const reply = await transfer(record.clientCallId!, { mode: "blind", toUserId: adminId });
    expect(reply.statusCode, reply.body).toBe(200);
    const { legClientCallId } = TransferReply.parse(reply.json());
    await expect.poll(() => invite.endedAt, { timeout: 5_000 }).not.toBeNull();
    await expect.poll(() => adminPhone.calls.length, { timeout: 10_000 }).toBe(rings + 1);
    const ring = adminPhone.calls.at(-1)!;
    expect(ring.headers.get("from")).toEqual([expect.stringMatching(/<sip:\+12015550190@/)]);
    expect(ring.headers.get("x-caller-transferred-by")).toEqual(["Sora%20Sales"]);
    // The teammate's record: keyed on the leg's own Local channel, not on the incoming call's trunk channel.
    await expect.poll(async () => (await legOf(legClientCallId))?.status ?? null, { timeout: 5_000 }).toBe("authorized");
    const open = (await legOf(legClientCallId))!;
    expect(open).toMatchObject({ userId: adminId, direction: "inbound", number: "+12015550190", transferredBy: "Sora Sales" });
    expect(open.pbxUniqueid).not.toBe(record.pbxUniqueid);
    expect(log.matching("Newchannel", { uniqueid: open.pbxUniqueid }).map((e) => header(e, "channel"))).toEqual([expect.stringMatching(/^Local\/u[0-9]+-[a-z2-7]{10}@transfer-user-[0-9a-f]{8};2$/)]);
    // The teammate hangs up after talking: the caller's channel ends with it.
    await expect.poll(() => ring.endedAt, { timeout: teammateTalkMs + 10_000 }).not.toBeNull();
    await expect.poll(async () => (await legOf(legClientCallId))?.status, { timeout: 10_000 }).toBe("ended");
    await expect.poll(async () => (await callOf(record.clientCallId!))?.status, { timeout: 10_000 }).toBe("ended");
    await log.waitFor("Hangup", { channel: callerChannel }, 5_000);
    await cdrs.settled(() => calls.whenIdle());

    const leg = (await legOf(legClientCallId))!;
    expect(leg).toMatchObject({ status: "ended", disposition: "answered", costMicros: null, voicemail: false });
    expect(leg.answeredAt!).toBeGreaterThan(transferAt);
    expect(leg.answeredAt!).toBeGreaterThanOrEqual(ring.answeredAt! - 100);
    expect(leg.answeredAt!).toBeLessThanOrEqual(ring.answeredAt! + 1_000);
    expect(leg.billedSeconds).toBeGreaterThanOrEqual(Math.floor(teammateTalkMs / 1000) - 1);
    expect(leg.billedSeconds).toBeLessThanOrEqual(Math.ceil(teammateTalkMs / 1000) + 1);
    const incoming = (await callOf(record.clientCallId!))!;
    expect(incoming).toMatchObject({ direction: "inbound", userId: salesId, disposition: "answered", costMicros: null });
    // It ended with the user's part, not with the teammate's talk.
    expect(incoming.endedAt!).toBeLessThanOrEqual(transferAt + 1_500);
    expect(await ledgerRows(record.pbxUniqueid)).toBe(0);
    expect(await ledgerRows(leg.pbxUniqueid)).toBe(0);
    expect(await rig.server.db("call_transfers").where({ call_id: incoming.id }).first()).toMatchObject({ mode: "blind", to_number: "", to_user_id: adminId, leg_client_call_id: legClientCallId });
    expect(await chainOf(incoming.id)).toEqual([expect.objectContaining({ role: "from", mode: "blind", toName: "Aiko Admin" })]);

    await readBack();
    expect(changedFields(leg, await legOf(legClientCallId))).toEqual({});
    expect(changedFields(incoming, await callOf(record.clientCallId!))).toEqual({});
    expect(await ledgerRows(record.pbxUniqueid)).toBe(0);
    expect(await ledgerRows(leg.pbxUniqueid)).toBe(0);
    // One record each: nothing else made of the Local channels' CDRs.
    expect((await salesCalls()).filter((c) => c.number === "+12015550190")).toHaveLength(1);
    expect((await listUserCalls(rig.server.db, adminId)).filter((c) => c.number === "+12015550190")).toHaveLength(1);
    expect(rig.problems).toEqual([]);
  }, 60_000);

  it("blind, declined: the caller hears the prompt and leaves the teammate a message, filed under the leg's record", async () => {
    adminPlan = { kind: "reject", code: 486, reason: "Busy Here" };
    const { record } = await answeredIncoming("+12015550191");
    const callerChannel = rig.server.channels!.live(record.pbxUniqueid)!.userChannel;
    const rings = adminPhone.calls.length;
    const reply = await transfer(record.clientCallId!, { mode: "blind", toUserId: adminId });
    expect(reply.statusCode, reply.body).toBe(200);
    const { legClientCallId } = TransferReply.parse(reply.json());
    await expect.poll(() => adminPhone.calls.length, { timeout: 10_000 }).toBe(rings + 1);
    // vm-intro (5.7 s) and the beep, then a few seconds of message.
    callerHangsUpAfter(callerChannel, 10_000);
    await log.waitFor("Hangup", { channel: callerChannel }, 20_000);
    await expect.poll(async () => (await legOf(legClientCallId))?.voicemail ?? false, { timeout: 10_000 }).toBe(true);
    await cdrs.settled(() => calls.whenIdle());
    const leg = (await legOf(legClientCallId))!;
    expect(leg).toMatchObject({ userId: adminId, direction: "inbound", number: "+12015550191", status: "ended", disposition: "busy", answeredAt: null, costMicros: null, transferredBy: "Sora Sales" });
    // The message: under the leg's uniqueid in the spool, which the recording ingest files under that record.
    expect(await readdir(rig.pbx.facts.recordingsDir)).toContain(`${leg.pbxUniqueid}.wav`);
    const incoming = (await callOf(record.clientCallId!))!;
    expect(incoming).toMatchObject({ status: "ended", disposition: "answered", costMicros: null });
    await readBack();
    expect(changedFields(leg, await legOf(legClientCallId))).toEqual({});
    expect(changedFields(incoming, await callOf(record.clientCallId!))).toEqual({});
    expect(await ledgerRows(record.pbxUniqueid)).toBe(0);
    expect(await ledgerRows(leg.pbxUniqueid)).toBe(0);
    expect(rig.problems).toEqual([]);
  }, 60_000);

  it("attended: the user consults the teammate with the caller on hold, then completes; the teammate's leg is their own record from the completion, the incoming call ends with the user's part", async () => {
    adminPlan = { kind: "answer", ringMs: 300, hangUpAfterMs: 60_000 };
    const { record, invite } = await answeredIncoming("+12015550192");
    const callerChannel = rig.server.channels!.live(record.pbxUniqueid)!.userChannel;
    const consultId = randomUUID();
    const rings = adminPhone.calls.length;
    // The consultation as the app dials it: team<user id>, naming itself and the call it is about.
    await originate(ami, { channel: `Local/team${adminId}@from-users`, application: "Wait", data: "60", variables: { CALLER_ENDPOINT: salesEndpoint, CALLER_CLIENT_CALL_ID: consultId, CALLER_CONSULT_FOR: record.clientCallId! } });
    await expect.poll(() => adminPhone.calls.length, { timeout: 10_000 }).toBe(rings + 1);
    const ring = adminPhone.calls.at(-1)!;
    expect(ring.headers.get("from")?.[0]).toMatch(/<sip:\+12015550192@/);
    expect(ring.headers.get("x-caller-transfer-consult")).toEqual(["1"]);
    await expect.poll(() => ring.answeredAt, { timeout: 10_000 }).not.toBeNull();
    const row = (await rig.server.db("teammate_consults").where({ client_call_id: consultId }).first<{ pbx_uniqueid: string }>("pbx_uniqueid"));
    expect(row).toBeDefined();
    const consultUniqueid = String(row?.pbx_uniqueid);
    const consultLive = rig.server.channels!.live(consultUniqueid)!;
    await expect.poll(() => consultLive.answeredAt, { timeout: 5_000 }).not.toBeNull();
    const teammateChannel = consultLive.far!;

    const completedAt = Date.now();
    const reply = await transfer(record.clientCallId!, { mode: "attended", consultClientCallId: consultId });
    expect(reply.statusCode, reply.body).toBe(200);
    expect(TransferReply.parse(reply.json())).toMatchObject({ mode: "attended", to: "Aiko Admin", legClientCallId: consultId });
    await expect.poll(() => invite.endedAt, { timeout: 5_000 }).not.toBeNull();
    await expect.poll(() => peer(callerChannel), { timeout: 3_000 }).toBe(teammateChannel.channel);
    expect(await legOf(consultId)).toMatchObject({ userId: adminId, direction: "inbound", number: "+12015550192", status: "authorized", transferredBy: "Sora Sales", pbxUniqueid: teammateChannel.uniqueid });

    await new Promise((resolve) => setTimeout(resolve, teammateTalkMs));
    await ami.action({ Action: "Hangup", Channel: callerChannel.replace(/;2$/, ";1"), Cause: 16 });
    await expect.poll(() => ring.endedAt, { timeout: 10_000 }).not.toBeNull();
    await expect.poll(async () => (await legOf(consultId))?.status, { timeout: 10_000 }).toBe("ended");
    await expect.poll(async () => (await callOf(record.clientCallId!))?.status, { timeout: 10_000 }).toBe("ended");
    await cdrs.settled(() => calls.whenIdle());
    const leg = (await legOf(consultId))!;
    const incoming = (await callOf(record.clientCallId!))!;
    expect(leg).toMatchObject({ disposition: "answered", costMicros: null });
    expect(leg.answeredAt!).toBeGreaterThanOrEqual(completedAt - 1_000);
    expect(leg.billedSeconds).toBeGreaterThanOrEqual(Math.floor(teammateTalkMs / 1000) - 1);
    expect(leg.billedSeconds).toBeLessThanOrEqual(Math.ceil(teammateTalkMs / 1000) + 1);
    expect(incoming).toMatchObject({ direction: "inbound", userId: salesId, disposition: "answered", costMicros: null });
    expect(incoming.endedAt!).toBeLessThanOrEqual(completedAt + 1_500);
    expect(await ledgerRows(record.pbxUniqueid)).toBe(0);
    expect(await ledgerRows(leg.pbxUniqueid)).toBe(0);
    expect(await ledgerRows(consultUniqueid)).toBe(0);
    // The consultation is internal: no record of it for anyone.
    expect(await rig.server.db("calls").where({ pbx_uniqueid: consultUniqueid })).toEqual([]);
    expect(await chainOf(incoming.id)).toEqual([expect.objectContaining({ role: "from", mode: "attended", toName: "Aiko Admin" })]);
    await readBack();
    expect(changedFields(leg, await legOf(consultId))).toEqual({});
    expect(changedFields(incoming, await callOf(record.clientCallId!))).toEqual({});
    expect(await ledgerRows(record.pbxUniqueid)).toBe(0);
    expect(await ledgerRows(leg.pbxUniqueid)).toBe(0);
    expect((await salesCalls()).filter((c) => c.number === "+12015550192")).toHaveLength(1);
    expect((await listUserCalls(rig.server.db, adminId)).filter((c) => c.number === "+12015550192")).toHaveLength(1);
    expect(rig.problems).toEqual([]);
  }, 60_000);

  it("the PBX's ask for a leg is answered only for a live transfer of an incoming call to a teammate, once per leg", async () => {
    const unknown = "00000000-0000-4000-8000-000000000000";
    expect(await allowInboundTeammateLeg(rig.server.db, { legId: unknown, uniqueid: "1.2" }, Date.now())).toBe("deny");
    expect(await legOf(unknown)).toBeUndefined();
    const transfers = await rig.server.db("call_transfers").whereNotNull("to_user_id").orderBy("id");
    expect(transfers.length).toBeGreaterThanOrEqual(1);
    const done = transfers[0] as { leg_client_call_id: string; created_at: number | string };
    const leg = (await legOf(done.leg_client_call_id))!;
    // Asked again by the same channel (a retry): the same answer, nothing new; by another channel: refused.
    expect(await allowInboundTeammateLeg(rig.server.db, { legId: done.leg_client_call_id, uniqueid: leg.pbxUniqueid }, Number(done.created_at) + 1_000)).toBe("allow");
    expect(await allowInboundTeammateLeg(rig.server.db, { legId: done.leg_client_call_id, uniqueid: "1.2" }, Number(done.created_at) + 1_000)).toBe("deny");
    // Long after the transfer: no live transfer asks then.
    expect(await allowInboundTeammateLeg(rig.server.db, { legId: done.leg_client_call_id, uniqueid: leg.pbxUniqueid }, Number(done.created_at) + 120_000)).toBe("deny");
    expect((await listUserCalls(rig.server.db, adminId)).filter((c) => c.clientCallId === done.leg_client_call_id)).toHaveLength(1);
  });
});
