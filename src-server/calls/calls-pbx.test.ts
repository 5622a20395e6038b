import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HistoryCall } from "../../src-shared/api/contract";
import { listUserCalls, type CallRecord } from "../db/calls-repo";
import { startAnsweringFarEnd, type AnsweringFarEnd, type FarEndPlan } from "../pbx/testing/sip-answering-far-end";
import { startAmiRig, type AmiRig, type RigUser } from "../test-support/ami-rig";
import { bearer, demoCredentials } from "../test-support/test-server";
import { ingestCdr } from "./cdr-ingest";
import { cdrFromAmiEvent, epochToMs, type CdrRecord } from "./cdr-record";
import { reconcileCdrStore } from "./cdr-store";

// Call records from a real Asterisk: calls enter from-users as Local channels
// carrying a user's realtime endpoint (what the softphone's INVITE runs), the
// server authorizes them, and a UDP far end behind test-trunk answers, hangs up,
// rejects or rings. The CDRs reach the server over AMI, or from cdr.db.
const plans: Record<string, FarEndPlan> = {
  "+12015550131": { kind: "answer", ringMs: 200, hangUpAfterMs: 2_000 },
  "+12015550132": { kind: "reject", code: 486, reason: "Busy Here" },
  "+12015550133": { kind: "ring" },
  "+12015550134": { kind: "answer", ringMs: 200, hangUpAfterMs: 2_500 },
  "+12015550135": { kind: "answer", ringMs: 200, hangUpAfterMs: 60_000 },
};

let rig: AmiRig<AnsweringFarEnd>;
let sales: RigUser;

beforeAll(async () => {
  rig = await startAmiRig({
    name: "vt-calls",
    trunkFarEnd: (port) => startAnsweringFarEnd(port, (uri) => plans[/^sip:([^@]+)@/.exec(uri)?.[1] ?? ""] ?? { kind: "reject", code: 404, reason: "Not Found" }),
  });
  sales = await rig.user(demoCredentials.sales);
}, 120_000);

afterAll(async () => {
  await rig?.stop();
});

/** Starts a call as the sales user; the originating side waits `waitSeconds` (its hangup ends a call still up). */
const call = (number: string, options: { waitSeconds?: number; ringTimeoutMs?: number } = {}): Promise<string> =>
  rig.placeCall(sales, number, { waitSeconds: options.waitSeconds ?? 20, ringTimeoutMs: options.ringTimeoutMs ?? 15_000 });

const salesCalls = (): Promise<CallRecord[]> => listUserCalls(rig.server.db, sales.id);
const byClientId = async (clientCallId: string): Promise<CallRecord[]> => (await salesCalls()).filter((c) => c.clientCallId === clientCallId);
const ended = async (clientCallId: string): Promise<CallRecord | undefined> => (await byClientId(clientCallId)).find((c) => c.status !== "authorized");
const count = async (table: string): Promise<number> => Number((await rig.server.db(table).count<{ n: number }[]>({ n: "*" }))[0]?.n);

function cdrStoreRows(uniqueid: string): { billsec: string; answer: string; end: string; dstchannel: string }[] {
  const store = new Database(rig.pbx.facts.cdrDb, { readonly: true });
  try {
    return store.prepare("SELECT billsec, answer, end, dstchannel FROM cdr WHERE uniqueid = ? ORDER BY AcctId").all(uniqueid) as never;
  } finally {
    store.close();
  }
}

describe("call records from a real Asterisk", () => {
  let answered: CallRecord;

  it("an answered call the far end hangs up makes exactly one record, with Asterisk's billsec and times", async () => {
    const clientCallId = await call("+12015550131");
    await expect.poll(() => ended(clientCallId), { timeout: 15_000, interval: 100 }).toBeDefined();
    answered = (await ended(clientCallId))!;
    expect(await byClientId(clientCallId)).toHaveLength(1);
    const [dialLeg] = cdrStoreRows(answered.pbxUniqueid).filter((row) => row.dstchannel !== "");
    expect(dialLeg).toBeDefined();
    expect(answered).toMatchObject({
      status: "ended",
      disposition: "answered",
      number: "+12015550131",
      billedSeconds: Number(dialLeg!.billsec),
      answeredAt: epochToMs(dialLeg!.answer),
      endedAt: epochToMs(dialLeg!.end),
      dialStatus: "ANSWER",
      hangupCause: 16,
    });
    expect(answered.billedSeconds).toBeGreaterThanOrEqual(1);
    expect(answered.startedAt).toBeLessThan(answered.answeredAt!);
    const last = await rig.server.db("changes").where({ entity: "call", entity_id: String(answered.id) }).orderBy("seq", "desc").first<{ data: string; audience_user_id: number }>();
    expect(last?.audience_user_id).toBe(sales.id);
    expect(HistoryCall.parse(JSON.parse(last.data))).toMatchObject({ id: String(answered.id), disposition: "answered", billedSeconds: answered.billedSeconds });
  }, 25_000);

  it("50 duplicate deliveries of its CDRs, and a replay of the CDR store, change nothing", async () => {
    // The test's own AMI session may hear the Cdr event a moment after the server's did.
    await rig.log.waitFor("Cdr", { uniqueid: answered.pbxUniqueid }, 5_000);
    const events = rig.log.matching("Cdr", { uniqueid: answered.pbxUniqueid });
    const cdrs = events.map(cdrFromAmiEvent).filter((cdr): cdr is CdrRecord => cdr !== null);
    const before = { calls: await count("calls"), changes: await count("changes") };
    const quiet = { warn: () => {} };
    const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => ingestCdr(rig.server.db, cdrs[i % cdrs.length]!, Date.now(), quiet)));
    expect(new Set(outcomes)).toEqual(new Set(["unchanged"]));
    await rig.server.db("pbx_cdr_cursors").update({ last_row_id: 0 });
    const replay = await reconcileCdrStore(rig.server.db, rig.pbx.facts.cdrDb, Date.now, { log: quiet, raters: rig.server.credits.raters });
    expect(replay.rowsRead).toBeGreaterThanOrEqual(2);
    expect(replay.outcomes.created + replay.outcomes.updated).toBe(0);
    expect({ calls: await count("calls"), changes: await count("changes") }).toEqual(before);
    expect((await salesCalls()).find((c) => c.id === answered.id)).toEqual(answered);
  }, 20_000);

  it("busy, given up while ringing, refused by the server and refused by the dialplan each end with their own record", async () => {
    const busy = await call("+12015550132");
    const gaveUp = await call("+12015550133", { ringTimeoutMs: 1_500 });
    const blocked = await call("+19005551234");
    const malformed = "+1201555&0123";
    await call(malformed);
    await expect.poll(async () => (await ended(busy))?.disposition, { timeout: 15_000 }).toBe("busy");
    await expect.poll(async () => (await ended(gaveUp))?.disposition, { timeout: 15_000 }).toBe("cancelled");
    await expect.poll(async () => (await ended(blocked))?.disposition, { timeout: 15_000 }).toBe("refused:destination_blocked");
    // Refused before any request to the server: the record comes from the CDR, whose accountcode names the user.
    const invalid = async () => (await salesCalls()).filter((c) => c.number === malformed);
    await expect.poll(async () => (await invalid())[0]?.disposition, { timeout: 15_000 }).toBe("refused:invalid_number");
    expect(await invalid()).toHaveLength(1);
    expect(await ended(busy)).toMatchObject({ hangupCause: 17, billedSeconds: 0, answeredAt: null });
    expect(await ended(blocked)).toMatchObject({ refusalReason: "destination_blocked", billedSeconds: 0 });
    expect(rig.farEnd.calls.some((c) => c.requestUri.includes("+19005551234") || c.requestUri.includes("0123@"))).toBe(false);
    expect(rig.problems).toEqual([]);
  }, 30_000);

  it("a call that ends while the server's AMI is down is recorded once, from the CDR store, when it comes back", async () => {
    const clientCallId = await call("+12015550134");
    await expect.poll(() => rig.farCall("+12015550134")?.answeredAt ?? null, { timeout: 10_000 }).not.toBeNull();
    await rig.calls.stop();
    await expect.poll(() => rig.farCall("+12015550134")?.endedAt ?? null, { timeout: 10_000 }).not.toBeNull();
    // The record is committed after the authorize answer has left: on a loaded machine it may trail the far end's answer.
    await expect.poll(async () => (await byClientId(clientCallId)).length, { timeout: 10_000 }).toBe(1);
    const [inFlight] = await byClientId(clientCallId);
    await expect.poll(() => cdrStoreRows(inFlight!.pbxUniqueid).length, { timeout: 5_000 }).toBeGreaterThan(0);
    expect((await byClientId(clientCallId))[0]?.disposition).toBe("in_progress");

    const restarted = rig.startCalls();
    await expect.poll(async () => (await byClientId(clientCallId))[0]?.disposition, { timeout: 10_000 }).toBe("answered");
    const [record] = await byClientId(clientCallId);
    const [dialLeg] = cdrStoreRows(record!.pbxUniqueid).filter((row) => row.dstchannel !== "");
    expect(record).toMatchObject({ status: "ended", billedSeconds: Number(dialLeg!.billsec), endedAt: epochToMs(dialLeg!.end) });
    expect(record!.billedSeconds).toBeGreaterThanOrEqual(2);

    const changes = await count("changes");
    await restarted.stop();
    const again = rig.startCalls();
    await again.waitUntilConnected(10_000);
    await again.whenIdle();
    expect(await byClientId(clientCallId)).toEqual([record]);
    expect(await count("changes")).toBe(changes);
    expect(rig.problems).toEqual([]);
  }, 40_000);

  // Last: it retires the sales user's endpoint the other tests call with.
  it("revoking the user's Caller access hangs up their call in progress at once", async () => {
    const clientCallId = await call("+12015550135", { waitSeconds: 60 });
    await expect.poll(() => rig.farCall("+12015550135")?.answeredAt ?? null, { timeout: 10_000 }).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const admin = await rig.server.sessionFor(demoCredentials.admin);
    const revokedAt = Date.now();
    const reply = await rig.server.app.inject({ method: "POST", url: `/api/admin/users/${sales.id}/caller`, headers: bearer(admin), payload: { enabled: false } });
    expect(reply.statusCode).toBe(200);
    // Asterisk sends the far end its BYE: the call is over, not just the endpoint.
    await expect.poll(() => rig.farCall("+12015550135")?.endedBy ?? null, { timeout: 5_000 }).toBe("near");
    expect(rig.farCall("+12015550135")!.endedAt! - revokedAt).toBeLessThan(3_000);
    await expect.poll(async () => (await ended(clientCallId))?.disposition, { timeout: 10_000 }).toBe("answered");
    expect((await ended(clientCallId))!.billedSeconds).toBeGreaterThanOrEqual(1);
    expect((await ended(clientCallId))!.billedSeconds).toBeLessThan(10);
  }, 30_000);
});
