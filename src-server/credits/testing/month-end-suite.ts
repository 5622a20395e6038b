import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inProcessWriter, type DurableWriter } from "../../db/writer/durable-writer";
import type { TestServer } from "../../test-support/test-server";
import { readBalance, sumLedger } from "../ledger-repo";
import { runCreditSchedule } from "../scheduler";
import { addCredit, authorize, cdrOf, companyWithCredit, recordedCall } from "./credit-rig";

/** Midnight of December 1st in Tokyo is 15:00 on November 30th in UTC. */
const utc = (iso: string): number => Date.parse(`${iso}Z`);
/** Japanese mobiles on the default tariff: $0.12 a minute, 30/6 increments. */
const japanMobile = "+819012345678";

/**
 * The month end under a live call, on a server with a movable clock: a Tokyo
 * company with only bonus credit; a call authorized at 14:50Z on November
 * 30th holds $7.20 of it (an hour, the company's longest call) when the month
 * ends at 15:00Z. Only the unheld $4.80 expires then; the call spends $6.00
 * of what it holds, and the $1.20 it did not spend expires when its charge
 * posts. December's $4 grant is untouched, and no bucket goes below zero.
 */
export function describeMonthEnd(engine: string, start: () => Promise<TestServer>, stop: (server: TestServer) => Promise<void>): void {
  describe(`the month end under a live call (${engine})`, () => {
    let server: TestServer;
    let writer: DurableWriter;

    beforeAll(async () => {
      server = await start();
      writer = inProcessWriter(server.db, { log: { warn: () => {}, error: () => {} }, raters: server.credits.raters });
    }, 60_000);

    afterAll(async () => {
      await writer.close();
      if (server !== undefined) await stop(server);
    });

    async function tokyoCompanyWithBonusOnly(name: string) {
      server.clock.now = utc("2026-11-30T14:00:00");
      const caller = await companyWithCredit(server, 0, { name, timeZone: "Asia/Tokyo" });
      // November's grant ($4 for its one Caller user), and bonus credit on top.
      await runCreditSchedule(server.db, server.credits, server.clock.now);
      await addCredit(server, caller.companyId, 8_000_000, "grant:extra-november", "bonus");
      expect(await readBalance(server.db, caller.companyId)).toMatchObject({ bonusMicros: 12_000_000, purchasedMicros: 0 });
      return caller;
    }

    const entries = async (companyId: number) =>
      (
        await server.db("ledger_entries").where({ company_id: companyId }).andWhere("created_at", ">=", utc("2026-11-30T14:30:00")).orderBy("id").select<{ kind: string; bucket: string; amount_micros: number | string; period: string | null }[]>("kind", "bucket", "amount_micros", "period")
      ).map((e) => ({ ...e, amount_micros: Number(e.amount_micros) }));

    async function callAcrossMidnight(caller: Awaited<ReturnType<typeof tokyoCompanyWithBonusOnly>>, uniqueid: string, scheduleAtMidnight: boolean): Promise<void> {
      server.clock.now = utc("2026-11-30T14:50:00");
      expect(await authorize(server, caller.endpointId, japanMobile, uniqueid)).toMatch(/^result=allow&.*maxSeconds=3600&/);
      await recordedCall(server, caller.user.id, uniqueid);
      if (scheduleAtMidnight) {
        server.clock.now = utc("2026-11-30T15:00:30");
        await runCreditSchedule(server.db, server.credits, server.clock.now);
        // Only what the call does not hold expired; the call still holds the rest.
        expect(await readBalance(server.db, caller.companyId)).toMatchObject({ bonusMicros: 7_200_000 + 4_000_000, purchasedMicros: 0 });
      }
      // 50 minutes answered: $6.00. Its CDR arrives at 15:45Z.
      server.clock.now = utc("2026-11-30T15:45:00");
      await writer.run("ingestCdrs", { cdrs: [cdrOf(uniqueid, caller.endpointId, japanMobile, 3_000, utc("2026-11-30T14:50:00"))], now: server.clock.now });
    }

    async function expectSettled(companyId: number, uniqueid: string): Promise<void> {
      expect(await entries(companyId)).toEqual([
        { kind: "expiry", bucket: "bonus", amount_micros: -4_800_000, period: "2026-11" },
        { kind: "grant", bucket: "bonus", amount_micros: 4_000_000, period: "2026-12" },
        { kind: "call_charge", bucket: "bonus", amount_micros: -6_000_000, period: null },
        { kind: "expiry", bucket: "bonus", amount_micros: -1_200_000, period: "2026-11" },
      ]);
      const balance = await readBalance(server.db, companyId);
      expect(balance).toMatchObject({ bonusMicros: 4_000_000, purchasedMicros: 0 });
      expect(await sumLedger(server.db, companyId)).toEqual({ bonusMicros: 4_000_000, purchasedMicros: 0 });
      const negative = await server.db("ledger_entries").where({ company_id: companyId }).andWhere("balance_after_micros", "<", 0).count<{ n: number | string }[]>({ n: "*" });
      expect(Number(negative[0]?.n)).toBe(0);
      expect(await server.db("credit_reservations").where({ pbx_uniqueid: uniqueid })).toEqual([]);
      expect(Number((await server.db("credit_balances").where({ company_id: companyId }).first<{ reserved_micros: number | string }>()).reserved_micros)).toBe(0);
      // Another run and a retried CDR change nothing.
      await runCreditSchedule(server.db, server.credits, server.clock.now);
      expect(await readBalance(server.db, companyId)).toMatchObject({ bonusMicros: 4_000_000, purchasedMicros: 0 });
    }

    it("the schedule at midnight expires only the bonus the live call does not hold; the rest expires when its charge posts", async () => {
      const caller = await tokyoCompanyWithBonusOnly("Tokyo Midnight K.K.");
      await callAcrossMidnight(caller, "pbx-month-end.1", true);
      await expectSettled(caller.companyId, "pbx-month-end.1");
    });

    it("a charge posting before the schedule ran first catches up the month's expiry and the next grant", async () => {
      const caller = await tokyoCompanyWithBonusOnly("Tokyo Late Run K.K.");
      await callAcrossMidnight(caller, "pbx-month-end.2", false);
      await expectSettled(caller.companyId, "pbx-month-end.2");
    });
  });
}
