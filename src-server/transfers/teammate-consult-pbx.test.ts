import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freeUdpPort } from "../../e2e/support/asterisk";
import { ChainReply, TransferReply, transferPaths } from "../../src-shared/server-api/transfers";
import { reconcileCdrStore } from "../calls/cdr-store";
import type { CallsService } from "../calls/calls-service";
import { listUserCalls, type CallRecord } from "../db/calls-repo";
import { ensureEndpoint } from "../db/pbx-endpoints-repo";
import { findUserByEmail } from "../db/users-repo";
import { AmiClient } from "../pbx/ami-client";
import { originate } from "../pbx/ami-originate";
import { header } from "../pbx/ami-message";
import { CdrWatch, changedFields } from "../pbx/testing/cdr-watch";
import { AmiEventLog } from "../pbx/testing/event-log";
import { registerAs } from "../pbx/testing/sip-register";
import { startDtmfFarEnd, type DtmfFarEnd, type DtmfFarEndCall, type DtmfFarEndPlan } from "../pbx/testing/sip-dtmf-far-end";
import { startPbxRig, type PbxRig } from "../test-support/pbx-rig";
import { bearer, demoCredentials } from "../test-support/test-server";

// Attended transfer to a teammate through a real Asterisk: the sales user's
// first call (a Local channel in from-users, as the softphone's INVITE runs)
// reaches a far end on the test trunk; the consultation dials team<admin id>,
// which [transfer-consult] checks with the server and rings at the admin's
// registered contact: a UAS that answers (or declines) and keeps each INVITE.
let rig: PbxRig;
let farEnd: DtmfFarEnd;
let teammatePhone: DtmfFarEnd;
let teammatePort: number;
let teammatePlan: DtmfFarEndPlan = { kind: "answer", ringMs: 200, hangUpAfterMs: 60_000 };
let ami: AmiClient;
let log: AmiEventLog;
let cdrs: CdrWatch;
let calls: CallsService;
let salesId: number;
let salesEndpoint: string;
let sales: string;
let adminId: number;
let adminEndpoint: string;

beforeAll(async () => {
  const testTrunk = await freeUdpPort();
  farEnd = await startDtmfFarEnd(testTrunk, () => ({ kind: "answer", ringMs: 200, hangUpAfterMs: 60_000 }));
  teammatePort = await freeUdpPort();
  teammatePhone = await startDtmfFarEnd(teammatePort, () => teammatePlan);
  rig = await startPbxRig({ name: "vt-transfer-team", ports: { testTrunk } });
  const user = (await findUserByEmail(rig.server.db, demoCredentials.sales.email))!;
  salesId = user.id;
  salesEndpoint = (await ensureEndpoint(rig.server.db, user, Date.now())).endpointId;
  sales = await rig.server.sessionFor(demoCredentials.sales);
  const admin = (await findUserByEmail(rig.server.db, demoCredentials.admin.email))!;
  adminId = admin.id;
  const adminEp = await ensureEndpoint(rig.server.db, admin, Date.now());
  adminEndpoint = adminEp.endpointId;
  expect((await registerAs({ port: rig.pbx.facts.sipUdpPort, user: adminEndpoint, password: adminEp.password, expires: 600, contactPort: teammatePort })).status).toBe(200);
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
  await farEnd?.close();
  await teammatePhone?.close();
});

const farCall = (to: string): DtmfFarEndCall | undefined => farEnd.calls.find((c) => c.requestUri.includes(to));
const callOf = async (clientCallId: string): Promise<CallRecord | undefined> => (await listUserCalls(rig.server.db, salesId)).find((c) => c.clientCallId === clientCallId);
const transfer = (clientCallId: string, payload: object) => rig.server.app.inject({ method: "POST", url: transferPaths.transfer.replace(":clientCallId", clientCallId), headers: bearer(sales), payload });
const peer = async (channel: string): Promise<string | undefined> => header(await ami.action({ Action: "Getvar", Channel: channel, Variable: "BRIDGEPEER" }), "value");
const chargedAny = async (uniqueid: string): Promise<number> => (await rig.server.db("ledger_entries").where({ pbx_uniqueid: uniqueid })).length;
const charged = async (uniqueid: string): Promise<number> =>
  0 - Number((await rig.server.db("ledger_entries").where({ pbx_uniqueid: uniqueid, kind: "call_charge" }).sum<{ total: number | string | null }[]>({ total: "amount_micros" }))[0]?.total ?? 0) || 0;
/** The teammate's record of the transferred call: keyed on the other party's channel. */
const legOf = async (farUniqueid: string): Promise<CallRecord | undefined> => (await listUserCalls(rig.server.db, adminId)).find((c) => c.pbxUniqueid === farUniqueid);
/** How long the teammate and the other party talk after the completion. */
const talkMs = 2_500;

/** Places the sales user's call to `to`; resolves once the far end answered and AMI reported it. */
async function answeredCall(to: string): Promise<{ clientCallId: string; uniqueid: string }> {
  const clientCallId = randomUUID();
  await originate(ami, { channel: `Local/${to}@from-users`, application: "Wait", data: "60", variables: { CALLER_ENDPOINT: salesEndpoint, CALLER_CLIENT_CALL_ID: clientCallId } });
  await expect.poll(() => farCall(to)?.answeredAt ?? null, { timeout: 10_000 }).not.toBeNull();
  await expect.poll(async () => (await callOf(clientCallId))?.pbxUniqueid ?? null, { timeout: 5_000 }).not.toBeNull();
  const uniqueid = (await callOf(clientCallId))!.pbxUniqueid;
  await expect.poll(() => (rig.server.channels?.live(uniqueid)?.answeredAt ?? null) !== null, { timeout: 5_000 }).toBe(true);
  return { clientCallId, uniqueid };
}

/** The consultation as the app dials it: team<user id>, naming itself and the call it is about. */
async function consult(toUserId: number, forCallId: string): Promise<{ clientCallId: string; teammateCalls: number }> {
  const clientCallId = randomUUID();
  const teammateCalls = teammatePhone.calls.length;
  await originate(ami, { channel: `Local/team${toUserId}@from-users`, application: "Wait", data: "60", variables: { CALLER_ENDPOINT: salesEndpoint, CALLER_CLIENT_CALL_ID: clientCallId, CALLER_CONSULT_FOR: forCallId } });
  return { clientCallId, teammateCalls };
}

const consultRows = (clientCallId: string): Promise<{ to_user_id: number; pbx_uniqueid: string }[]> => rig.server.db("teammate_consults").where({ client_call_id: clientCallId }).select("to_user_id", "pbx_uniqueid");

describe("attended transfer to a teammate through a real Asterisk", () => {
  it("complete: the teammate's app rings with the caller and who transfers, then talks with the other party; no leg is charged", async () => {
    teammatePlan = { kind: "answer", ringMs: 300, hangUpAfterMs: 60_000 };
    const first = await answeredCall("+12015550191");
    const firstFar = rig.server.channels!.live(first.uniqueid)!.far!;
    const { clientCallId, teammateCalls } = await consult(adminId, first.clientCallId);
    await expect.poll(() => teammatePhone.calls.length, { timeout: 10_000 }).toBe(teammateCalls + 1);
    const ring = teammatePhone.calls.at(-1)!;
    expect(ring.requestUri).toMatch(new RegExp(`^sip:${adminEndpoint}@127\\.0\\.0\\.1:${teammatePort}`));
    expect(ring.headers.get("from")?.[0]).toMatch(/<sip:\+12015550191@/);
    expect(ring.headers.get("x-caller-transferred-by")).toEqual(["Sora%20Sales"]);
    expect(ring.headers.get("x-caller-transfer-consult")).toEqual(["1"]);
    await expect.poll(() => ring.answeredAt, { timeout: 10_000 }).not.toBeNull();
    const [row] = (await consultRows(clientCallId)) as [{ to_user_id: number; pbx_uniqueid: string }];
    expect(row).toMatchObject({ to_user_id: adminId });
    const consultLive = rig.server.channels!.live(String(row.pbx_uniqueid))!;
    await expect.poll(() => consultLive.answeredAt, { timeout: 5_000 }).not.toBeNull();
    // While consulting, the teammate hears the user's side (which sends nothing here), not the other party.
    // Asterisk reports the answer before the Dial bridge forms, so BRIDGEPEER is polled, not read once.
    await expect.poll(() => peer(consultLive.far!.channel), { timeout: 3_000 }).toBe(consultLive.userChannel);

    const completedAt = Date.now();
    const reply = await transfer(first.clientCallId, { mode: "attended", consultClientCallId: clientCallId });
    expect(reply.statusCode, reply.body).toBe(200);
    expect(TransferReply.parse(reply.json())).toEqual({ callId: expect.any(String) as unknown, mode: "attended", to: "Aiko Admin", legClientCallId: clientCallId });
    await log.waitFor("Hangup", { uniqueid: first.uniqueid }, 3_000);
    await log.waitFor("Hangup", { uniqueid: String(row.pbx_uniqueid) }, 3_000);
    // The other party and the teammate are joined, each the other's bridge peer (what each hears is measured in e2e/transfer-team.test.ts with real browsers: this UAS speaks no DTLS-SRTP).
    await expect.poll(() => peer(firstFar.channel), { timeout: 3_000 }).toBe(consultLive.far!.channel);
    expect(await peer(consultLive.far!.channel)).toBe(firstFar.channel);
    expect(farCall("+12015550191")?.endedAt).toBeNull();
    expect(ring.endedAt).toBeNull();
    const original = (await callOf(first.clientCallId))!;
    expect(await rig.server.db("call_transfers").where({ call_id: original.id }).first()).toMatchObject({ mode: "attended", to_number: "", to_user_id: adminId, leg_client_call_id: clientCallId, far_uniqueid: null });

    // From the completion on, the teammate has a record of their own: received, from the other party, transferred by the user.
    expect(await legOf(firstFar.uniqueid)).toMatchObject({ userId: adminId, direction: "inbound", number: "+12015550191", status: "authorized", clientCallId, transferredBy: "Sora Sales" });

    // They talk a while; then the other party hangs up: the teammate's leg ends with it.
    await new Promise((resolve) => setTimeout(resolve, talkMs));
    await ami.action({ Action: "Hangup", Channel: firstFar.channel, Cause: 16 });
    await expect.poll(() => ring.endedAt, { timeout: 10_000 }).not.toBeNull();
    await calls.whenIdle();
    await expect.poll(async () => (await callOf(first.clientCallId))?.status, { timeout: 10_000 }).toBe("ended");
    await expect.poll(async () => (await legOf(firstFar.uniqueid))?.status, { timeout: 10_000 }).toBe("ended");
    await cdrs.settled(() => calls.whenIdle());
    const leg = (await legOf(firstFar.uniqueid))!;
    // The talk after the bridge is the teammate's leg: answered at the completion, ended with the call, not charged.
    expect(leg).toMatchObject({ userId: adminId, direction: "inbound", number: "+12015550191", disposition: "answered", costMicros: null, transferredBy: "Sora Sales" });
    expect(leg.answeredAt!).toBeGreaterThanOrEqual(completedAt - 1_000);
    expect(leg.billedSeconds).toBeGreaterThanOrEqual(Math.floor(talkMs / 1000) - 1);
    expect(leg.billedSeconds).toBeLessThanOrEqual(Math.ceil(talkMs / 1000) + 1);
    // The user has the first call alone, charged once; the consultation and the bridged talk are internal.
    expect((await listUserCalls(rig.server.db, salesId)).filter((c) => c.number === "+12015550191")).toHaveLength(1);
    expect(await rig.server.db("calls").whereIn("pbx_uniqueid", [String(row.pbx_uniqueid), consultLive.far!.uniqueid])).toEqual([]);
    const ended = (await callOf(first.clientCallId))!;
    expect(await charged(first.uniqueid)).toBe(ended.costMicros);
    expect(await chargedAny(String(row.pbx_uniqueid))).toBe(0);
    expect(await chargedAny(firstFar.uniqueid)).toBe(0);
    await rig.server.db("pbx_cdr_cursors").update({ last_row_id: 0 });
    await reconcileCdrStore(rig.server.db, rig.pbx.facts.cdrDb, Date.now, { log: { warn: () => {} }, raters: rig.server.credits.raters });
    expect(changedFields(leg, await legOf(firstFar.uniqueid))).toEqual({});
    expect(changedFields(ended, await callOf(first.clientCallId))).toEqual({});
    expect(await charged(first.uniqueid)).toBe(ended.costMicros);
    expect(await chargedAny(firstFar.uniqueid)).toBe(0);
    // The teammate sees the chain on their leg: transferred to them by the user (whose call they may not open).
    const adminToken = await rig.server.sessionFor(demoCredentials.admin);
    const chain = await rig.server.app.inject({ method: "GET", url: transferPaths.chain.replace(":callId", String(leg.id)), headers: bearer(adminToken) });
    expect(ChainReply.parse(chain.json()).entries).toEqual([expect.objectContaining({ role: "leg", mode: "attended", toName: "Aiko Admin", byName: "Sora Sales" })]);
    expect(log.matching("DialBegin", { dialstring: /test-trunk/ }).filter((e) => header(e, "uniqueid") === String(row.pbx_uniqueid))).toEqual([]);
    expect(rig.problems).toEqual([]);
  }, 60_000);

  it("go back: the consultation ends and the user's first call is untouched; a decline ends the consultation with 'busy'", async () => {
    teammatePlan = { kind: "answer", ringMs: 200, hangUpAfterMs: 60_000 };
    const first = await answeredCall("+12015550192");
    const { clientCallId, teammateCalls } = await consult(adminId, first.clientCallId);
    await expect.poll(() => teammatePhone.calls[teammateCalls]?.answeredAt ?? null, { timeout: 10_000 }).not.toBeNull();
    const [row] = (await consultRows(clientCallId)) as [{ to_user_id: number; pbx_uniqueid: string }];
    // Back to the caller: the app hangs its consultation up; the server is not involved.
    await ami.action({ Action: "Hangup", Channel: rig.server.channels!.live(String(row.pbx_uniqueid))!.userChannel, Cause: 16 });
    await expect.poll(() => teammatePhone.calls[teammateCalls]?.endedAt ?? null, { timeout: 10_000 }).not.toBeNull();
    const firstLive = rig.server.channels!.live(first.uniqueid)!;
    expect(await peer(firstLive.far!.channel)).toBe(firstLive.userChannel);
    expect(farCall("+12015550192")?.endedAt).toBeNull();
    // A consultation that is over cannot be completed: refused, and the call goes on.
    const late = await transfer(first.clientCallId, { mode: "attended", consultClientCallId: clientCallId });
    expect(late.statusCode, late.body).toBe(409);
    expect(await rig.server.db("call_transfers").where({ leg_client_call_id: clientCallId })).toEqual([]);
    expect(await peer(firstLive.far!.channel)).toBe(firstLive.userChannel);

    // The teammate declines (486): the consultation's channel ends with cause 17 (busy), which the app puts in words.
    teammatePlan = { kind: "reject", code: 486, reason: "Busy Here" };
    const declined = await consult(adminId, first.clientCallId);
    await expect.poll(async () => (await consultRows(declined.clientCallId)).length, { timeout: 10_000 }).toBe(1);
    const [declinedRow] = (await consultRows(declined.clientCallId)) as [{ to_user_id: number; pbx_uniqueid: string }];
    const hangup = await log.waitFor("Hangup", { uniqueid: String(declinedRow.pbx_uniqueid) }, 10_000);
    expect(header(hangup, "cause")).toBe("17");
    expect(farCall("+12015550192")?.endedAt).toBeNull();
    expect(await peer(firstLive.far!.channel)).toBe(firstLive.userChannel);
    await ami.action({ Action: "Hangup", Channel: firstLive.userChannel, Cause: 16 });
  }, 60_000);

  it("a teammate who never answers rings TRANSFER_RING_SECONDS, not RING_SECONDS: the consultation ends with 'no answer' and the first call stays bridged to the user", async () => {
    // The rig's ring time, set as a global the way pbx.sh's [globals] sets the product's 25 s.
    await ami.action({ Action: "Setvar", Variable: "TRANSFER_RING_SECONDS", Value: "3" });
    try {
      teammatePlan = { kind: "ring" };
      const first = await answeredCall("+12015550194");
      const firstLive = rig.server.channels!.live(first.uniqueid)!;
      const { clientCallId, teammateCalls } = await consult(adminId, first.clientCallId);
      await expect.poll(() => teammatePhone.calls.length, { timeout: 10_000 }).toBe(teammateCalls + 1);
      const rangAt = Date.now();
      const ring = teammatePhone.calls[teammateCalls]!;
      const [row] = (await consultRows(clientCallId)) as [{ to_user_id: number; pbx_uniqueid: string }];
      const hangup = await log.waitFor("Hangup", { uniqueid: String(row.pbx_uniqueid) }, 10_000);
      // Cause 19 is what the app reads as "did not answer" (consult-panel.tsx).
      expect(header(hangup, "cause")).toBe("19");
      const rangMs = Date.now() - rangAt;
      expect(rangMs).toBeGreaterThanOrEqual(2_000);
      expect(rangMs).toBeLessThan(6_000);
      expect(ring.answeredAt).toBeNull();
      await expect.poll(() => ring.endedAt, { timeout: 3_000 }).not.toBeNull();
      // The first call is untouched: still live, the other party still the user's bridge peer.
      expect(farCall("+12015550194")?.endedAt).toBeNull();
      expect(rig.server.channels!.live(first.uniqueid)).toBeDefined();
      expect(await peer(firstLive.far!.channel)).toBe(firstLive.userChannel);
      expect(await rig.server.db("call_transfers").where({ leg_client_call_id: clientCallId })).toEqual([]);
      await ami.action({ Action: "Hangup", Channel: firstLive.userChannel, Cause: 16 });
    } finally {
      await ami.action({ Action: "Setvar", Variable: "TRANSFER_RING_SECONDS", Value: "25" });
    }
  }, 60_000);

  it("the server decides who is rung: not oneself, not another company's user, not about a call that is not the user's live call; nothing rings", async () => {
    const first = await answeredCall("+12015550193");
    const otherCompanyAdmin = (await findUserByEmail(rig.server.db, demoCredentials.otherAdmin.email))!;
    await ensureEndpoint(rig.server.db, otherCompanyAdmin, Date.now());
    const rings = teammatePhone.calls.length;
    for (const [toUserId, forCallId] of [
      [salesId, first.clientCallId],
      [otherCompanyAdmin.id, first.clientCallId],
      [987_654, first.clientCallId],
      [adminId, randomUUID()],
    ] as const) {
      const ended = log.matching("Hangup", { context: "transfer-consult" }).length;
      const { clientCallId } = await consult(toUserId, forCallId);
      await expect.poll(() => log.matching("Hangup", { context: "transfer-consult" }).length, { timeout: 10_000 }).toBe(ended + 1);
      expect(header(log.matching("Hangup", { context: "transfer-consult" }).at(-1)!, "cause"), `${toUserId} ${forCallId}`).toBe("31");
      expect(await consultRows(clientCallId)).toEqual([]);
    }
    expect(teammatePhone.calls.length).toBe(rings);
    expect(log.matching("DialBegin", { context: "transfer-consult" }).filter((e) => !String(header(e, "destchannel")).includes(adminEndpoint))).toEqual([]);
    // A consultation the server never allowed cannot be completed either.
    expect((await transfer(first.clientCallId, { mode: "attended", consultClientCallId: randomUUID() })).statusCode).toBe(404);
    expect(farCall("+12015550193")?.endedAt).toBeNull();
    await ami.action({ Action: "Hangup", Channel: rig.server.channels!.live(first.uniqueid)!.userChannel, Cause: 16 });
  }, 60_000);
});
