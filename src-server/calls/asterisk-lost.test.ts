import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HistoryCall } from "../../src-shared/api/contract";
import { callCostMicros } from "../../src-shared/credits/cost";
import { sumLedger } from "../credits/ledger-repo";
import { cdrOf, companyWithCredit, type Caller } from "../credits/testing/credit-rig";
import { listUserCalls, type CallRecord } from "../db/calls-repo";
import { getPbxLiveness } from "../db/pbx-liveness-repo";
import { startAnsweringFarEnd, type AnsweringFarEnd, type FarEndPlan } from "../pbx/testing/sip-answering-far-end";
import { startAmiRig, type AmiRig } from "../test-support/ami-rig";
import type { CallsService } from "./calls-service";
import { ingestCdr } from "./cdr-ingest";
import { reconcileCdrStore } from "./cdr-store";

// Calls on a real Asterisk that dies (kill -9) and is started again (pbx.sh up).
// The server's AMI goes through a TCP relay, so a test can also cut it alone.
const answered = ["+12015550171", "+12015550172", "+12015550173", "+12015550174"];
const ringing = "+12015550175";
const reconnected = "+12015550176";
const serverDown = "+12015550177";
const plans: Record<string, FarEndPlan> = {
  ...Object.fromEntries(answered.map((number) => [number, { kind: "answer", ringMs: 200, hangUpAfterMs: 120_000 } satisfies FarEndPlan])),
  [ringing]: { kind: "ring" },
  [reconnected]: { kind: "answer", ringMs: 200, hangUpAfterMs: 5_000 },
  [serverDown]: { kind: "answer", ringMs: 200, hangUpAfterMs: 120_000 },
};

let rig: AmiRig<AnsweringFarEnd>;
/** The server's calls service: another one after a test stops it. */
let calls: CallsService;
let caller: Caller;
const quiet = { warn: () => {} };
const startingCredit = 10_000_000;

beforeAll(async () => {
  rig = await startAmiRig({
    name: "vt-lost",
    trunkFarEnd: (port) => startAnsweringFarEnd(port, (uri) => plans[/^sip:([^@]+)@/.exec(uri)?.[1] ?? ""] ?? { kind: "reject", code: 404, reason: "Not Found" }),
    amiBackoff: { initialMs: 100, maxMs: 500, factor: 2 },
    relayServerAmi: true,
  });
  calls = rig.calls;
  // Its own company, purchased credit only: each call's charge is one ledger entry.
  caller = await companyWithCredit(rig.server, startingCredit);
}, 120_000);

afterAll(async () => {
  await rig?.stop();
});

/** The caller's call to `number` (a Local channel carrying their endpoint, as the softphone's INVITE runs from-users). */
const call = (number: string): Promise<string> => rig.placeCall(caller, number, { waitSeconds: 120, ringTimeoutMs: 60_000 });

const recordOf = async (clientCallId: string): Promise<CallRecord | undefined> => (await listUserCalls(rig.server.db, caller.user.id)).find((c) => c.clientCallId === clientCallId);
const farEndAnsweredAt = (number: string): number => rig.farCall(number)?.answeredAt ?? NaN;
const charges = (uniqueid: string) => rig.server.db("ledger_entries").where({ pbx_uniqueid: uniqueid }).orderBy("id").select("kind", "bucket", "amount_micros", "billed_seconds");
const liveness = async () => getPbxLiveness(rig.server.db, `caller-pbx-${rig.pbx.facts.instance}`);

async function answeredRecord(number: string, clientCallId: string): Promise<CallRecord> {
  await expect.poll(() => rig.farCall(number)?.answeredAt ?? null, { timeout: 15_000 }).not.toBeNull();
  // The DialEnd the server heard, written: what an interruption bills from.
  await expect.poll(async () => (await recordOf(clientCallId))?.liveAnsweredAt ?? null, { timeout: 5_000 }).not.toBeNull();
  return (await recordOf(clientCallId))!;
}

/** What the call's seconds cost at the rate in force at its start. */
async function costOf(record: CallRecord, seconds: number): Promise<number> {
  const rated = await rig.server.credits.rateAt(record.number, record.startedAt);
  return callCostMicros(seconds, rated!.row);
}

describe("calls on an Asterisk that is lost", () => {
  it("an AMI reconnect to the same Asterisk leaves its live call alone: it goes on and is billed from its own CDR", async () => {
    const clientCallId = await call(reconnected);
    await answeredRecord(reconnected, clientCallId);
    const cutAt = Date.now();
    rig.relay!.cutAll();
    // The drop is noted, then the next session finds the same Asterisk and clears it.
    await expect.poll(async () => (await liveness())?.lostAt ?? null, { timeout: 5_000 }).not.toBeNull();
    await expect.poll(async () => liveness(), { timeout: 10_000 }).toMatchObject({ lostAt: null });
    expect((await liveness())!.seenAt).toBeGreaterThan(cutAt);
    await calls.whenIdle();
    expect(await recordOf(clientCallId)).toMatchObject({ status: "authorized", disposition: "in_progress", interrupted: false });

    await expect.poll(async () => (await recordOf(clientCallId))?.disposition, { timeout: 15_000 }).toBe("answered");
    const record = (await recordOf(clientCallId))!;
    expect(record.billedSeconds).toBeGreaterThanOrEqual(4);
    expect(await charges(record.pbxUniqueid)).toEqual([{ kind: "call_charge", bucket: "purchased", amount_micros: -(await costOf(record, record.billedSeconds)), billed_seconds: record.billedSeconds }]);
  }, 40_000);

  it("kill -9 with four answered calls and one ringing, then pbx.sh up: each is closed as interrupted, charged once up to the kill, and its credit is free again; a late CDR changes nothing", async () => {
    const answeredIds = await Promise.all(answered.map((number) => call(number)));
    const ringingId = await call(ringing);
    for (const [i, number] of answered.entries()) await answeredRecord(number, answeredIds[i]!);
    await expect.poll(() => rig.farCall(ringing) ?? null, { timeout: 10_000 }).not.toBeNull();
    await expect.poll(async () => (await recordOf(ringingId))?.status, { timeout: 5_000 }).toBe("authorized");
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const credits = rig.server.credits;
    expect(await credits.reservedMicros(caller.companyId)).toBeGreaterThan(0);

    const killedAt = await rig.killAsterisk();
    await expect.poll(async () => (await liveness())?.lostAt ?? null, { timeout: 5_000 }).not.toBeNull();
    expect((await liveness())!.lostAt).toBeGreaterThanOrEqual(killedAt - 50);
    // Losing the connection alone closes nothing: the same Asterisk may come back with its calls.
    for (const id of [...answeredIds, ringingId]) expect((await recordOf(id))?.disposition).toBe("in_progress");

    await rig.restartAsterisk();
    for (const id of [...answeredIds, ringingId]) await expect.poll(async () => (await recordOf(id))?.disposition, { timeout: 15_000 }).toBe("interrupted");

    let charged = 0;
    for (const [i, number] of answered.entries()) {
      const record = (await recordOf(answeredIds[i]!))!;
      const expectedSeconds = (killedAt - farEndAnsweredAt(number)) / 1000;
      expect(Math.abs(record.billedSeconds - expectedSeconds), `${number}: billed ${record.billedSeconds} s, ${expectedSeconds} s from answer to kill`).toBeLessThanOrEqual(1);
      expect(record).toMatchObject({ status: "ended", interrupted: true, answeredAt: record.liveAnsweredAt, costMicros: await costOf(record, record.billedSeconds) });
      expect(Math.abs(record.endedAt! - killedAt)).toBeLessThan(1_000);
      expect(await charges(record.pbxUniqueid)).toEqual([{ kind: "call_charge", bucket: "purchased", amount_micros: -record.costMicros!, billed_seconds: record.billedSeconds }]);
      charged += record.costMicros!;
      const change = await rig.server.db("changes").where({ entity: "call", entity_id: String(record.id) }).orderBy("seq", "desc").first<{ data: string }>();
      expect(HistoryCall.parse(JSON.parse(change.data))).toMatchObject({ disposition: "interrupted", billedSeconds: record.billedSeconds, costMicros: record.costMicros });
    }
    const rang = (await recordOf(ringingId))!;
    expect(rang).toMatchObject({ status: "ended", interrupted: true, answeredAt: null, billedSeconds: 0, costMicros: 0 });
    expect(await charges(rang.pbxUniqueid)).toEqual([]);

    // Every hold is released: the whole balance, less what was charged, is available again.
    expect(await credits.reservedMicros(caller.companyId)).toBe(0);
    const ledger = await sumLedger(rig.server.db, caller.companyId);
    expect(await credits.balance(caller.companyId)).toEqual({ ...ledger, reservedMicros: 0 });
    expect(ledger.purchasedMicros).toBeLessThanOrEqual(startingCredit - charged);

    // A CDR turning up later (AMI replay) and a read-back of the CDR store change nothing.
    const before = { records: await listUserCalls(rig.server.db, caller.user.id), ledger: await sumLedger(rig.server.db, caller.companyId), changes: await rig.server.db("changes").count<{ n: number }[]>({ n: "*" }) };
    for (const [i, number] of answered.entries()) {
      const record = (await recordOf(answeredIds[i]!))!;
      const late = { ...cdrOf(record.pbxUniqueid, caller.endpointId, number, record.billedSeconds + 30, record.startedAt), answerMs: record.liveAnsweredAt, endMs: Date.now() };
      expect(await ingestCdr(rig.server.db, late, Date.now(), quiet)).toBe("unchanged");
    }
    expect(await ingestCdr(rig.server.db, cdrOf(rang.pbxUniqueid, caller.endpointId, ringing, 12, rang.startedAt), Date.now(), quiet)).toBe("unchanged");
    await rig.server.db("pbx_cdr_cursors").update({ last_row_id: 0 });
    const replay = await reconcileCdrStore(rig.server.db, rig.pbx.facts.cdrDb, Date.now, { log: quiet, raters: rig.server.credits.raters });
    expect(replay.outcomes.created + replay.outcomes.updated).toBe(0);
    expect({ records: await listUserCalls(rig.server.db, caller.user.id), ledger: await sumLedger(rig.server.db, caller.companyId), changes: await rig.server.db("changes").count<{ n: number }[]>({ n: "*" }) }).toEqual(before);
    expect(await credits.reservedMicros(caller.companyId)).toBe(0);
  }, 90_000);

  it("the server restarting while Asterisk is down bills the call to the moment Asterisk was lost, not to the restart", async () => {
    await rig.ami.waitUntilConnected(15_000);
    const clientCallId = await call(serverDown);
    await answeredRecord(serverDown, clientCallId);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const killedAt = await rig.killAsterisk();
    await expect.poll(async () => (await liveness())?.lostAt ?? 0, { timeout: 5_000 }).toBeGreaterThanOrEqual(killedAt - 50);
    // The server goes away (its memory with it), Asterisk comes back, and only then the server.
    await calls.stop();
    await rig.restartAsterisk();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect((await recordOf(clientCallId))?.disposition).toBe("in_progress");
    calls = rig.startCalls();
    await expect.poll(async () => (await recordOf(clientCallId))?.disposition, { timeout: 15_000 }).toBe("interrupted");
    const record = (await recordOf(clientCallId))!;
    const expectedSeconds = (killedAt - farEndAnsweredAt(serverDown)) / 1000;
    expect(Math.abs(record.billedSeconds - expectedSeconds), `billed ${record.billedSeconds} s, ${expectedSeconds} s from answer to kill`).toBeLessThanOrEqual(1);
    expect(await charges(record.pbxUniqueid)).toEqual([{ kind: "call_charge", bucket: "purchased", amount_micros: -(await costOf(record, record.billedSeconds)), billed_seconds: record.billedSeconds }]);
    expect(await rig.server.credits.reservedMicros(caller.companyId)).toBe(0);
  }, 60_000);
});
