import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChainReply, TransferReply, transferPaths } from "../../src-shared/server-api/transfers";
import { listUserCalls, type CallRecord } from "../db/calls-repo";
import { insertNumber } from "../inbound/inbound-repo";
import { originate } from "../pbx/ami-originate";
import { changedFields } from "../pbx/testing/cdr-watch";
import { startDtmfFarEnd, type DtmfFarEnd, type DtmfFarEndCall } from "../pbx/testing/sip-dtmf-far-end";
import { startAmiRig, type AmiRig, type RigUser } from "../test-support/ami-rig";
import { bearer, demoCredentials } from "../test-support/test-server";

// Transfer of an incoming call through a real Asterisk. The caller is a Local
// channel into [from-trunk] on the company's number (its ;2 half runs the
// dialplan exactly as a trunk's channel does, and keys the call's record);
// [from-trunk] asks the server and rings the sales user's registered line, a
// UAS that answers and keeps each INVITE. Third parties are numbers on the
// test trunk's far end, which hang up after a few seconds.
const did = "+81355550170";
const thirdPartyTalkMs = 3_000;
const consultTalkMs = 5_000;

let rig: AmiRig<DtmfFarEnd>;
let salesPhone: DtmfFarEnd;
let sales: RigUser;
let admin: RigUser;

beforeAll(async () => {
  rig = await startAmiRig({
    name: "vt-inbound-transfer",
    trunkFarEnd: (port) => startDtmfFarEnd(port, (uri) => ({ kind: "answer", ringMs: 200, hangUpAfterMs: uri.includes("+12015550173") ? consultTalkMs : thirdPartyTalkMs })),
  });
  sales = await rig.user(demoCredentials.sales);
  admin = await rig.user(demoCredentials.admin);
  await insertNumber(rig.server.db, sales.companyId, { number: did, label: "", userId: sales.id, groupId: null, ringSeconds: 15 }, Date.now());
  salesPhone = (await rig.registerLine(sales, () => ({ kind: "answer", ringMs: 200, hangUpAfterMs: 60_000 }))).phone;
}, 120_000);

afterAll(async () => {
  await rig?.stop();
});

const salesCalls = (): Promise<CallRecord[]> => listUserCalls(rig.server.db, sales.id);
const callOf = (clientCallId: string): Promise<CallRecord | undefined> => rig.callOf(sales.id, clientCallId);
const transfer = (token: string, clientCallId: string, payload: object) => rig.server.app.inject({ method: "POST", url: transferPaths.transfer.replace(":clientCallId", clientCallId), headers: bearer(token), payload });

/** A call from `from` to the company's number, answered on the sales user's line: its record and the INVITE the line got. */
async function answeredIncoming(from: string): Promise<{ record: CallRecord; invite: DtmfFarEndCall }> {
  const rings = salesPhone.calls.length;
  await originate(rig.ami, { channel: `Local/${did}@from-trunk/n`, application: "Wait", data: "40", callerId: `"" <${from}>` });
  await expect.poll(() => salesPhone.calls[rings]?.answeredAt ?? null, { timeout: 10_000 }).not.toBeNull();
  const invite = salesPhone.calls[rings]!;
  await expect.poll(async () => (await salesCalls()).find((c) => c.direction === "inbound" && c.number === from && c.status === "authorized") ?? null, { timeout: 5_000 }).not.toBeNull();
  const record = (await salesCalls()).find((c) => c.direction === "inbound" && c.number === from && c.status === "authorized")!;
  await expect.poll(() => (rig.server.channels?.live(record.pbxUniqueid)?.answeredAt ?? null) !== null, { timeout: 5_000 }).toBe(true);
  return { record, invite };
}

/** The chain of `callId` as its user sees it in history. */
async function chainOf(callId: number): Promise<ChainReply["entries"]> {
  const reply = await rig.server.app.inject({ method: "GET", url: transferPaths.chain.replace(":callId", String(callId)), headers: bearer(sales.token) });
  expect(reply.statusCode, reply.body).toBe(200);
  return ChainReply.parse(reply.json()).entries;
}

describe("transfer of an incoming call through a real Asterisk", () => {
  it("the line gets the server's id for the call; only the user who answered may transfer it (to a teammate: inbound-teammate-pbx.test.ts)", async () => {
    const { record, invite } = await answeredIncoming("+12015550174");
    expect(record.clientCallId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(invite.headers.get("x-caller-call-id")).toEqual([record.clientCallId]);
    const clientCallId = record.clientCallId!;
    // Another user of the company did not answer it: not theirs.
    expect((await transfer(admin.token, clientCallId, { mode: "blind", to: "+12015550175" })).statusCode).toBe(404);
    // A blocked destination is refused as for a placed call.
    expect((await transfer(sales.token, clientCallId, { mode: "blind", to: "+19002345678" })).statusCode).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(invite.endedAt).toBeNull();
    expect(await rig.server.db("call_transfers").where({ call_id: record.id })).toEqual([]);
    expect(rig.farEnd.calls.some((c) => c.requestUri.includes("+12015550175") || c.requestUri.includes("+19002345678"))).toBe(false);
    await rig.ami.action({ Action: "Hangup", Channel: rig.server.channels!.live(record.pbxUniqueid)!.userChannel, Cause: 16 });
  }, 40_000);

  it("blind to a number: the new leg is the user's own authorized call, charged like one they dialed; the incoming call ends with the user's part, uncharged", async () => {
    const { record, invite } = await answeredIncoming("+12015550170");
    const transferAt = Date.now();
    const reply = await transfer(sales.token, record.clientCallId!, { mode: "blind", to: "+12015550171" });
    expect(reply.statusCode, reply.body).toBe(200);
    const { legClientCallId } = TransferReply.parse(reply.json());
    // The user's line is freed; the caller is put through to the third party.
    await expect.poll(() => invite.endedAt, { timeout: 5_000 }).not.toBeNull();
    await expect.poll(() => rig.farCall("+12015550171")?.answeredAt ?? null, { timeout: 10_000 }).not.toBeNull();
    await expect.poll(async () => (await callOf(legClientCallId))?.status ?? null, { timeout: 5_000 }).not.toBeNull();
    expect((await callOf(legClientCallId))?.direction).toBe("outbound");
    // The third party hangs up: the leg ends, then the caller's channel (and with it the incoming call's CDRs).
    await expect.poll(async () => (await callOf(legClientCallId))?.status, { timeout: thirdPartyTalkMs + 10_000 }).toBe("ended");
    await expect.poll(async () => (await callOf(record.clientCallId!))?.status, { timeout: 10_000 }).toBe("ended");
    await rig.cdrs.settled(() => rig.calls.whenIdle());

    const leg = (await callOf(legClientCallId))!;
    expect(leg).toMatchObject({ number: "+12015550171", disposition: "answered", dialStatus: "ANSWER" });
    expect(leg.billedSeconds).toBeGreaterThanOrEqual(Math.floor(thirdPartyTalkMs / 1000) - 1);
    expect(leg.costMicros).toBeGreaterThan(0);
    expect(await rig.charged(leg.pbxUniqueid)).toBe(leg.costMicros);
    const incoming = (await callOf(record.clientCallId!))!;
    expect(incoming).toMatchObject({ direction: "inbound", userId: sales.id, disposition: "answered", costMicros: null });
    // Ended with the user's part, not with the leg it handed on to.
    expect(incoming.endedAt!).toBeLessThanOrEqual(transferAt + 1_500);
    expect(await rig.chargeRows(record.pbxUniqueid)).toBe(0);
    expect(await rig.server.db("call_transfers").where({ call_id: incoming.id }).first()).toMatchObject({ mode: "blind", to_number: "+12015550171", leg_client_call_id: legClientCallId });
    // History links the two, both the user's.
    expect(await chainOf(incoming.id)).toEqual([expect.objectContaining({ role: "from", mode: "blind", toNumber: "+12015550171", linkedCallId: String(leg.id) })]);
    expect(await chainOf(leg.id)).toEqual([expect.objectContaining({ role: "leg", mode: "blind", linkedCallId: String(incoming.id) })]);

    // Every CDR read back again from Asterisk's store changes nothing.
    await rig.rereadCdrStore();
    expect(changedFields(leg, await callOf(legClientCallId))).toEqual({});
    expect(changedFields(incoming, await callOf(record.clientCallId!))).toEqual({});
    expect(await rig.charged(leg.pbxUniqueid)).toBe(leg.costMicros);
    expect(await rig.chargeRows(record.pbxUniqueid)).toBe(0);
    expect((await transfer(sales.token, record.clientCallId!, { mode: "blind", to: "+12015550172" })).statusCode).toBe(409);
    expect(rig.problems).toEqual([]);
  }, 60_000);

  it("attended to a number: the caller is joined to the consultation's third party, whose call carries (and is billed for) the rest", async () => {
    const { record, invite } = await answeredIncoming("+12015550176");
    const consultId = randomUUID();
    await rig.placeCall(sales, "+12015550173", { clientCallId: consultId });
    await expect.poll(() => rig.farCall("+12015550173")?.answeredAt ?? null, { timeout: 10_000 }).not.toBeNull();
    await expect.poll(async () => (await callOf(consultId))?.pbxUniqueid ?? null, { timeout: 5_000 }).not.toBeNull();
    const consult = (await callOf(consultId))!;
    await expect.poll(() => (rig.server.channels?.live(consult.pbxUniqueid)?.answeredAt ?? null) !== null, { timeout: 5_000 }).toBe(true);
    const callerChannel = rig.server.channels!.live(record.pbxUniqueid)!.userChannel;
    const thirdChannel = rig.server.channels!.live(consult.pbxUniqueid)!.far!.channel;

    const transferAt = Date.now();
    const reply = await transfer(sales.token, record.clientCallId!, { mode: "attended", consultClientCallId: consultId });
    expect(reply.statusCode, reply.body).toBe(200);
    expect(TransferReply.parse(reply.json())).toMatchObject({ mode: "attended", to: "+12015550173", legClientCallId: consultId });
    await rig.log.waitFor("Hangup", { uniqueid: consult.pbxUniqueid }, 3_000);
    await expect.poll(() => invite.endedAt, { timeout: 5_000 }).not.toBeNull();
    // The caller and the third party are each other's bridge peer.
    await expect.poll(() => rig.peer(callerChannel), { timeout: 3_000 }).toBe(thirdChannel);
    expect(await rig.peer(thirdChannel)).toBe(callerChannel);
    expect(rig.farCall("+12015550173")?.endedAt).toBeNull();

    await expect.poll(() => rig.farCall("+12015550173")?.endedAt ?? null, { timeout: consultTalkMs + 5_000 }).not.toBeNull();
    await expect.poll(async () => (await callOf(record.clientCallId!))?.status, { timeout: 10_000 }).toBe("ended");
    await rig.calls.whenIdle();
    // The consultation's record is billed from its answer to the end of the bridged talk, charged once.
    await expect.poll(async () => (await callOf(consultId))?.billedSeconds ?? 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(Math.floor(consultTalkMs / 1000) - 1);
    await rig.cdrs.settled(() => rig.calls.whenIdle());
    const carried = (await callOf(consultId))!;
    expect(carried).toMatchObject({ status: "ended", disposition: "answered" });
    expect(carried.costMicros).toBeGreaterThan(0);
    expect(await rig.charged(consult.pbxUniqueid)).toBe(carried.costMicros);
    const incoming = (await callOf(record.clientCallId!))!;
    expect(incoming).toMatchObject({ direction: "inbound", userId: sales.id, disposition: "answered", costMicros: null });
    expect(incoming.endedAt!).toBeLessThanOrEqual(transferAt + 1_500);
    expect(await rig.chargeRows(record.pbxUniqueid)).toBe(0);
    expect(await rig.server.db("call_transfers").where({ call_id: incoming.id }).first()).toMatchObject({ mode: "attended", to_number: "+12015550173", far_uniqueid: record.pbxUniqueid, leg_uniqueid: consult.pbxUniqueid });
    expect(await chainOf(incoming.id)).toEqual([expect.objectContaining({ role: "from", mode: "attended", linkedCallId: String(carried.id) })]);

    await rig.rereadCdrStore();
    expect(changedFields(carried, await callOf(consultId))).toEqual({});
    expect(changedFields(incoming, await callOf(record.clientCallId!))).toEqual({});
    expect(await rig.charged(consult.pbxUniqueid)).toBe(carried.costMicros);
    expect((await salesCalls()).filter((c) => c.number === "+12015550173")).toHaveLength(1);
    expect(rig.problems).toEqual([]);
  }, 60_000);
});
