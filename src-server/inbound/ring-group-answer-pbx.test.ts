import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freeUdpPort } from "../../e2e/support/asterisk";
import type { CallsService } from "../calls/calls-service";
import { seedLoadTestUsers, type LoadTestCompany } from "../seed/load-test-users";
import { registerAs } from "../pbx/testing/sip-register";
import { startAnsweringFarEnd, type AnsweringFarEnd, type FarEndPlan } from "../pbx/testing/sip-answering-far-end";
import { startPbxRig, type PbxRig } from "../test-support/pbx-rig";
import { insertGroup, insertNumber } from "./inbound-repo";
import type { RingStrategy } from "../../src-shared/server-api/inbound";

// A ring group through a real Asterisk: the phone network (sipp on the test
// trunk's address) dials the company's number, [from-trunk] rings two members'
// lines (plain-RTP load-test endpoints, each a small SIP UAS registered to the
// PBX), and the second one answers. The call's record must be that member's.
let rig: PbxRig;
let calls: CallsService;
let company: LoadTestCompany;
let lines: { first: AnsweringFarEnd; second: AnsweringFarEnd };
let plans: { first: FarEndPlan; second: FarEndPlan };
let trunkPort: number;

beforeAll(async () => {
  trunkPort = await freeUdpPort();
  rig = await startPbxRig({ name: "vt-inbound-admin", ports: { testTrunk: trunkPort } });
  company = await seedLoadTestUsers(rig.server.db, 2);
  plans = { first: { kind: "ring" }, second: { kind: "answer", ringMs: 1_000, hangUpAfterMs: 60_000 } };
  lines = {
    first: await startAnsweringFarEnd(await freeUdpPort(), () => plans.first),
    second: await startAnsweringFarEnd(await freeUdpPort(), () => plans.second),
  };
  const { sipUdpPort } = rig.pbx.facts;
  for (const [user, line] of [[company.users[0]!, lines.first], [company.users[1]!, lines.second]] as const) {
    const registered = await registerAs({ port: sipUdpPort, user: user.endpointId, password: user.password, contactPort: Number(line.address.split(":")[1]), expires: 600 });
    expect(registered.status).toBe(200);
  }
  calls = rig.startCalls();
  await calls.waitUntilConnected(10_000);
}, 120_000);

afterAll(async () => {
  await rig?.stop();
  await lines?.first.close();
  await lines?.second.close();
});

async function ringGroupNumber(did: string, strategy: RingStrategy): Promise<void> {
  const { db } = rig.server;
  const memberIds = company.users.map((u) => u.userId);
  const groupId = await db.transaction((trx) => insertGroup(trx, company.companyId, { name: `Team ${did}`, strategy, memberIds }, Date.now()));
  await insertNumber(db, company.companyId, { number: did, label: "", userId: null, groupId, ringSeconds: 15 }, Date.now());
}

/** The phone network's call to `did`, from the trunk's address: hangs up 2.5 s after the answer. */
function dialIn(did: string): Promise<number> {
  return new Promise((resolve, reject) => {
    void freeUdpPort().then((mediaPort) => {
      const sipp = spawn("sipp", [`127.0.0.1:${rig.pbx.facts.sipUdpPort}`, "-sn", "uac", "-s", did, "-i", "127.0.0.1", "-p", String(trunkPort), "-mp", String(mediaPort), "-m", "1", "-d", "2500", "-timeout", "40s", "-nostdin"], { stdio: "ignore" });
      sipp.on("error", reject);
      sipp.on("exit", (code) => resolve(code ?? -1));
    }, reject);
  });
}

interface CallRow {
  id: number | string;
  user_id: number | string;
  status: string;
  disposition: string;
  dial_status: string | null;
}

const callTo = (did: string) => rig.server.db("calls").where({ inbound_number: did }).first<CallRow | undefined>();

async function answeredBySecond(did: string): Promise<CallRow> {
  expect(await dialIn(did)).toBe(0);
  // The final CDR carries the dialplan's mark (dial=ANSWER); a member's unanswered leg may come seconds earlier.
  await expect.poll(async () => (await callTo(did))?.dial_status ?? null, { timeout: 15_000 }).toBe("ANSWER");
  await calls.whenIdle();
  return (await callTo(did))!;
}

describe("a ring group's call belongs to the member who answered", () => {
  it("ring all: both lines ring, the second answers, and the record (and each app's history) is the second member's", async () => {
    const [first, second] = company.users.map((u) => u.userId);
    const did = "+81355550150";
    await ringGroupNumber(did, "ring_all");
    const before = { first: lines.first.calls.length, second: lines.second.calls.length };
    const call = await answeredBySecond(did);
    expect(lines.first.calls.length).toBe(before.first + 1);
    expect(lines.second.calls.at(-1)?.answeredAt).not.toBeNull();
    expect(call).toMatchObject({ disposition: "answered" });
    expect(Number(call.user_id)).toBe(second);
    // The first member's app drops the copy it was sent while the call rang; the second's holds it.
    const changes = await rig.server.db("changes").where({ entity: "call", entity_id: String(call.id) }).orderBy("seq").select<{ op: string; audience_user_id: number | string }[]>("op", "audience_user_id");
    const last = (user: number) => changes.filter((c) => Number(c.audience_user_id) === user).at(-1)?.op;
    expect(last(first!)).toBe("delete");
    expect(last(second!)).toBe("upsert");
    expect(rig.problems).toEqual([]);
  }, 60_000);

  it("round-robin: the first in turn declines, the next answers, and the record is the answerer's", async () => {
    plans.first = { kind: "reject", code: 486, reason: "Busy Here" };
    const did = "+81355550151";
    await ringGroupNumber(did, "round_robin");
    const call = await answeredBySecond(did);
    expect(call).toMatchObject({ disposition: "answered" });
    expect(Number(call.user_id)).toBe(company.users[1]!.userId);
  }, 60_000);
});
