import { afterAll, beforeAll, expect, it } from "vitest";
import { inProcessWriter, type DurableWriter } from "../db/writer/durable-writer";
import { startTestServer, type TestServer } from "../test-support/test-server";
import type { CallCharge } from "./call-charge";
import { ChargeQueue } from "./charge-queue";
import { sumLedger } from "./ledger-repo";
import { companyWithCredit, testPbx } from "./testing/credit-rig";

let server: TestServer;
let writer: DurableWriter;

beforeAll(async () => {
  server = await startTestServer({ pbx: testPbx });
  writer = inProcessWriter(server.db, { log: { warn: () => {}, error: () => {} }, raters: server.credits.raters });
});

afterAll(async () => {
  await writer.close();
  await server.close();
});

const charge = (companyId: number, n: number): CallCharge => ({
  companyId, pbxUniqueid: `q.${companyId}.${n}`, callId: null, userId: null, number: "+819012345678", destination: "Japan, mobile", billedSeconds: 60, tariffVersion: 1, costMicros: 120_000,
});

it("charges arriving together share one write; one that fails is undone alone; memory follows the commit", async () => {
  const { companyId } = await companyWithCredit(server, 10_000_000);
  const queue = new ChargeQueue(writer, () => server.clock.now);
  const results = await Promise.allSettled([
    ...Array.from({ length: 40 }, (_, n) => queue.charge(charge(companyId, n))),
    // No such company: its entry breaks a foreign key.
    queue.charge(charge(999_999, 0)),
    // A retry of a charge already in this batch.
    queue.charge(charge(companyId, 0)),
  ]);
  expect(results.map((r) => r.status)).toEqual([...Array.from({ length: 40 }, () => "fulfilled"), "rejected", "fulfilled"]);
  const sum = await sumLedger(server.db, companyId);
  expect(sum).toEqual({ bonusMicros: 0, purchasedMicros: 10_000_000 - 40 * 120_000 });
  await expect.poll(async () => (await server.credits.balance(companyId)).purchasedMicros).toBe(sum.purchasedMicros);
});
