import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChainReply, TransferReply, transferPaths } from "../../src-shared/server-api/transfers";
import { listUserCalls, type CallRecord } from "../db/calls-repo";
import { ensureEndpoint } from "../db/pbx-endpoints-repo";
import { findUserByEmail } from "../db/users-repo";
import { header } from "../pbx/ami-message";
import { changedFields } from "../pbx/testing/cdr-watch";
import { startDtmfFarEnd, type DtmfFarEnd, type DtmfFarEndPlan } from "../pbx/testing/sip-dtmf-far-end";
import { startAmiRig, type AmiRig, type RigUser, type TestLine } from "../test-support/ami-rig";
import { bearer, demoCredentials } from "../test-support/test-server";

// Attended transfer to a teammate through a real Asterisk: the sales user's
// first call (a Local channel in from-users, as the softphone's INVITE runs)
// reaches a far end on the test trunk; the consultation dials team<admin id>,
// which [transfer-consult] checks with the server and rings at the admin's
// registered contact: a UAS that answers (or declines) and keeps each INVITE.
let rig: AmiRig<DtmfFarEnd>;
let teammate: TestLine;
let teammatePlan: DtmfFarEndPlan = { kind: "answer", ringMs: 200, hangUpAfterMs: 60_000 };
let sales: RigUser;
let admin: RigUser;

beforeAll(async () => {
  rig = await startAmiRig({ name: "vt-transfer-team", trunkFarEnd: (port) => startDtmfFarEnd(port, () => ({ kind: "answer", ringMs: 200, hangUpAfterMs: 60_000 })) });
  sales = await rig.user(demoCredentials.sales);
  admin = await rig.user(demoCredentials.admin);
  teammate = await rig.registerLine(admin, () => teammatePlan);
}, 120_000);

afterAll(async () => {
  await rig?.stop();
});

const callOf = (clientCallId: string): Promise<CallRecord | undefined> => rig.callOf(sales.id, clientCallId);
const transfer = (clientCallId: string, payload: object) => rig.server.app.inject({ method: "POST", url: transferPaths.transfer.replace(":clientCallId", clientCallId), headers: bearer(sales.token), payload });
/** The teammate's record of the transferred call: keyed on the other party's channel. */
const legOf = (farUniqueid: string): Promise<CallRecord | undefined> => rig.legOf(admin.id, farUniqueid);
/** How long the teammate and the other party talk after the completion. */
const talkMs = 2_500;

/** The consultation as the app dials it: team<user id>, naming itself and the call it is about. */
async function consult(toUserId: number, forCallId: string): Promise<{ clientCallId: string; teammateCalls: number }> {
  const teammateCalls = teammate.phone.calls.length;
  const clientCallId = await rig.placeCall(sales, `team${toUserId}`, { waitSeconds: 60, variables: { CALLER_CONSULT_FOR: forCallId } });
  return { clientCallId, teammateCalls };
}

const consultRows = (clientCallId: string): Promise<{ to_user_id: number; pbx_uniqueid: string }[]> => rig.server.db("teammate_consults").where({ client_call_id: clientCallId }).select("to_user_id", "pbx_uniqueid");

describe("attended transfer to a teammate through a real Asterisk", () => {
  it("complete: the teammate's app rings with the caller and who transfers, then talks with the other party; no leg is charged", async () => {
    teammatePlan = { kind: "answer", ringMs: 300, hangUpAfterMs: 60_000 };
    const first = await rig.answeredCall(sales, "+12015550191", 60);
    const firstFar = rig.server.channels!.live(first.uniqueid)!.far!;
    const { clientCallId, teammateCalls } = await consult(admin.id, first.clientCallId);
    await expect.poll(() => teammate.phone.calls.length, { timeout: 10_000 }).toBe(teammateCalls + 1);
    const ring = teammate.phone.calls.at(-1)!;
    expect(ring.requestUri).toMatch(new RegExp(`^sip:${admin.endpointId}@127\\.0\\.0\\.1:${teammate.port}`));
    expect(ring.headers.get("from")?.[0]).toMatch(/<sip:\+12015550191@/);
    expect(ring.headers.get("x-caller-transferred-by")).toEqual(["Sora%20Sales"]);
    expect(ring.headers.get("x-caller-transfer-consult")).toEqual(["1"]);
    await expect.poll(() => ring.answeredAt, { timeout: 10_000 }).not.toBeNull();
    const [row] = (await consultRows(clientCallId)) as [{ to_user_id: number; pbx_uniqueid: string }];
    expect(row).toMatchObject({ to_user_id: admin.id });
    const consultLive = rig.server.channels!.live(String(row.pbx_uniqueid))!;
    await expect.poll(() => consultLive.answeredAt, { timeout: 5_000 }).not.toBeNull();
    // While consulting, the teammate hears the user's side (which sends nothing here), not the other party.
    // Asterisk reports the answer before the Dial bridge forms, so BRIDGEPEER is polled, not read once.
    await expect.poll(() => rig.peer(consultLive.far!.channel), { timeout: 3_000 }).toBe(consultLive.userChannel);

    const completedAt = Date.now();
    const reply = await transfer(first.clientCallId, { mode: "attended", consultClientCallId: clientCallId });
    expect(reply.statusCode, reply.body).toBe(200);
    expect(TransferReply.parse(reply.json())).toEqual({ callId: expect.any(String) as unknown, mode: "attended", to: "Aiko Admin", legClientCallId: clientCallId });
    await rig.log.waitFor("Hangup", { uniqueid: first.uniqueid }, 3_000);
    await rig.log.waitFor("Hangup", { uniqueid: String(row.pbx_uniqueid) }, 3_000);
    // The other party and the teammate are joined, each the other's bridge peer (what each hears is measured in e2e/transfer-team.test.ts with real browsers: this UAS speaks no DTLS-SRTP).
    await expect.poll(() => rig.peer(firstFar.channel), { timeout: 3_000 }).toBe(consultLive.far!.channel);
    expect(await rig.peer(consultLive.far!.channel)).toBe(firstFar.channel);
    expect(rig.farCall("+12015550191")?.endedAt).toBeNull();
    expect(ring.endedAt).toBeNull();
    const original = (await callOf(first.clientCallId))!;
    expect(await rig.server.db("call_transfers").where({ call_id: original.id }).first()).toMatchObject({ mode: "attended", to_number: "", to_user_id: admin.id, leg_client_call_id: clientCallId, far_uniqueid: null });

    // From the completion on, the teammate has a record of their own: received, from the other party, transferred by the user.
    expect(await legOf(firstFar.uniqueid)).toMatchObject({ userId: admin.id, direction: "inbound", number: "+12015550191", status: "authorized", clientCallId, transferredBy: "Sora Sales" });

    // They talk a while; then the other party hangs up: the teammate's leg ends with it.
    await new Promise((resolve) => setTimeout(resolve, talkMs));
    await rig.ami.action({ Action: "Hangup", Channel: firstFar.channel, Cause: 16 });
    await expect.poll(() => ring.endedAt, { timeout: 10_000 }).not.toBeNull();
    await rig.calls.whenIdle();
    await expect.poll(async () => (await callOf(first.clientCallId))?.status, { timeout: 10_000 }).toBe("ended");
    await expect.poll(async () => (await legOf(firstFar.uniqueid))?.status, { timeout: 10_000 }).toBe("ended");
    await rig.cdrs.settled(() => rig.calls.whenIdle());
    const leg = (await legOf(firstFar.uniqueid))!;
    // The talk after the bridge is the teammate's leg: answered at the completion, ended with the call, not charged.
    expect(leg).toMatchObject({ userId: admin.id, direction: "inbound", number: "+12015550191", disposition: "answered", costMicros: null, transferredBy: "Sora Sales" });
    expect(leg.answeredAt!).toBeGreaterThanOrEqual(completedAt - 1_000);
    expect(leg.billedSeconds).toBeGreaterThanOrEqual(Math.floor(talkMs / 1000) - 1);
    expect(leg.billedSeconds).toBeLessThanOrEqual(Math.ceil(talkMs / 1000) + 1);
    // The user has the first call alone, charged once; the consultation and the bridged talk are internal.
    expect((await listUserCalls(rig.server.db, sales.id)).filter((c) => c.number === "+12015550191")).toHaveLength(1);
    expect(await rig.server.db("calls").whereIn("pbx_uniqueid", [String(row.pbx_uniqueid), consultLive.far!.uniqueid])).toEqual([]);
    const ended = (await callOf(first.clientCallId))!;
    expect(await rig.charged(first.uniqueid)).toBe(ended.costMicros);
    expect(await rig.chargeRows(String(row.pbx_uniqueid))).toBe(0);
    expect(await rig.chargeRows(firstFar.uniqueid)).toBe(0);
    await rig.rereadCdrStore();
    expect(changedFields(leg, await legOf(firstFar.uniqueid))).toEqual({});
    expect(changedFields(ended, await callOf(first.clientCallId))).toEqual({});
    expect(await rig.charged(first.uniqueid)).toBe(ended.costMicros);
    expect(await rig.chargeRows(firstFar.uniqueid)).toBe(0);
    // The teammate sees the chain on their leg: transferred to them by the user (whose call they may not open).
    const adminToken = await rig.server.sessionFor(demoCredentials.admin);
    const chain = await rig.server.app.inject({ method: "GET", url: transferPaths.chain.replace(":callId", String(leg.id)), headers: bearer(adminToken) });
    expect(ChainReply.parse(chain.json()).entries).toEqual([expect.objectContaining({ role: "leg", mode: "attended", toName: "Aiko Admin", byName: "Sora Sales" })]);
    expect(rig.log.matching("DialBegin", { dialstring: /test-trunk/ }).filter((e) => header(e, "uniqueid") === String(row.pbx_uniqueid))).toEqual([]);
    expect(rig.problems).toEqual([]);
  }, 60_000);

  it("go back: the consultation ends and the user's first call is untouched; a decline ends the consultation with 'busy'", async () => {
    teammatePlan = { kind: "answer", ringMs: 200, hangUpAfterMs: 60_000 };
    const first = await rig.answeredCall(sales, "+12015550192", 60);
    const { clientCallId, teammateCalls } = await consult(admin.id, first.clientCallId);
    await expect.poll(() => teammate.phone.calls[teammateCalls]?.answeredAt ?? null, { timeout: 10_000 }).not.toBeNull();
    const [row] = (await consultRows(clientCallId)) as [{ to_user_id: number; pbx_uniqueid: string }];
    // Back to the caller: the app hangs its consultation up; the server is not involved.
    await rig.ami.action({ Action: "Hangup", Channel: rig.server.channels!.live(String(row.pbx_uniqueid))!.userChannel, Cause: 16 });
    await expect.poll(() => teammate.phone.calls[teammateCalls]?.endedAt ?? null, { timeout: 10_000 }).not.toBeNull();
    const firstLive = rig.server.channels!.live(first.uniqueid)!;
    expect(await rig.peer(firstLive.far!.channel)).toBe(firstLive.userChannel);
    expect(rig.farCall("+12015550192")?.endedAt).toBeNull();
    // A consultation that is over cannot be completed: refused, and the call goes on.
    const late = await transfer(first.clientCallId, { mode: "attended", consultClientCallId: clientCallId });
    expect(late.statusCode, late.body).toBe(409);
    expect(await rig.server.db("call_transfers").where({ leg_client_call_id: clientCallId })).toEqual([]);
    expect(await rig.peer(firstLive.far!.channel)).toBe(firstLive.userChannel);

    // The teammate declines (486): the consultation's channel ends with cause 17 (busy), which the app puts in words.
    teammatePlan = { kind: "reject", code: 486, reason: "Busy Here" };
    const declined = await consult(admin.id, first.clientCallId);
    await expect.poll(async () => (await consultRows(declined.clientCallId)).length, { timeout: 10_000 }).toBe(1);
    const [declinedRow] = (await consultRows(declined.clientCallId)) as [{ to_user_id: number; pbx_uniqueid: string }];
    const hangup = await rig.log.waitFor("Hangup", { uniqueid: String(declinedRow.pbx_uniqueid) }, 10_000);
    expect(header(hangup, "cause")).toBe("17");
    expect(rig.farCall("+12015550192")?.endedAt).toBeNull();
    expect(await rig.peer(firstLive.far!.channel)).toBe(firstLive.userChannel);
    await rig.ami.action({ Action: "Hangup", Channel: firstLive.userChannel, Cause: 16 });
  }, 60_000);

  it("a teammate who never answers rings TRANSFER_RING_SECONDS, not RING_SECONDS: the consultation ends with 'no answer' and the first call stays bridged to the user", async () => {
    // The rig's ring time, set as a global the way pbx.sh's [globals] sets the product's 25 s.
    await rig.ami.action({ Action: "Setvar", Variable: "TRANSFER_RING_SECONDS", Value: "3" });
    try {
      teammatePlan = { kind: "ring" };
      const first = await rig.answeredCall(sales, "+12015550194", 60);
      const firstLive = rig.server.channels!.live(first.uniqueid)!;
      const { clientCallId, teammateCalls } = await consult(admin.id, first.clientCallId);
      await expect.poll(() => teammate.phone.calls.length, { timeout: 10_000 }).toBe(teammateCalls + 1);
      const rangAt = Date.now();
      const ring = teammate.phone.calls[teammateCalls]!;
      const [row] = (await consultRows(clientCallId)) as [{ to_user_id: number; pbx_uniqueid: string }];
      const hangup = await rig.log.waitFor("Hangup", { uniqueid: String(row.pbx_uniqueid) }, 10_000);
      // Cause 19 is what the app reads as "did not answer" (consult-panel.tsx).
      expect(header(hangup, "cause")).toBe("19");
      const rangMs = Date.now() - rangAt;
      expect(rangMs).toBeGreaterThanOrEqual(2_000);
      expect(rangMs).toBeLessThan(6_000);
      expect(ring.answeredAt).toBeNull();
      await expect.poll(() => ring.endedAt, { timeout: 3_000 }).not.toBeNull();
      // The first call is untouched: still live, the other party still the user's bridge peer.
      expect(rig.farCall("+12015550194")?.endedAt).toBeNull();
      expect(rig.server.channels!.live(first.uniqueid)).toBeDefined();
      expect(await rig.peer(firstLive.far!.channel)).toBe(firstLive.userChannel);
      expect(await rig.server.db("call_transfers").where({ leg_client_call_id: clientCallId })).toEqual([]);
      await rig.ami.action({ Action: "Hangup", Channel: firstLive.userChannel, Cause: 16 });
    } finally {
      await rig.ami.action({ Action: "Setvar", Variable: "TRANSFER_RING_SECONDS", Value: "25" });
    }
  }, 60_000);

  it("the server decides who is rung: not oneself, not another company's user, not about a call that is not the user's live call; nothing rings", async () => {
    const first = await rig.answeredCall(sales, "+12015550193", 60);
    const otherCompanyAdmin = (await findUserByEmail(rig.server.db, demoCredentials.otherAdmin.email))!;
    await ensureEndpoint(rig.server.db, otherCompanyAdmin, Date.now());
    const rings = teammate.phone.calls.length;
    for (const [toUserId, forCallId] of [
      [sales.id, first.clientCallId],
      [otherCompanyAdmin.id, first.clientCallId],
      [987_654, first.clientCallId],
      [admin.id, randomUUID()],
    ] as const) {
      const ended = rig.log.matching("Hangup", { context: "transfer-consult" }).length;
      const { clientCallId } = await consult(toUserId, forCallId);
      await expect.poll(() => rig.log.matching("Hangup", { context: "transfer-consult" }).length, { timeout: 10_000 }).toBe(ended + 1);
      expect(header(rig.log.matching("Hangup", { context: "transfer-consult" }).at(-1)!, "cause"), `${toUserId} ${forCallId}`).toBe("31");
      expect(await consultRows(clientCallId)).toEqual([]);
    }
    expect(teammate.phone.calls.length).toBe(rings);
    expect(rig.log.matching("DialBegin", { context: "transfer-consult" }).filter((e) => !String(header(e, "destchannel")).includes(admin.endpointId))).toEqual([]);
    // A consultation the server never allowed cannot be completed either.
    expect((await transfer(first.clientCallId, { mode: "attended", consultClientCallId: randomUUID() })).statusCode).toBe(404);
    expect(rig.farCall("+12015550193")?.endedAt).toBeNull();
    await rig.ami.action({ Action: "Hangup", Channel: rig.server.channels!.live(first.uniqueid)!.userChannel, Cause: 16 });
  }, 60_000);
});
