import { inlineImportParser } from "../imports/import-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreditsRuntime } from "../credits/credits-runtime";
import { InvoicePaymentProvider } from "../credits/payment-provider";
import { purchaseCredit } from "../credits/purchases";
import { saveInvoiceLimit } from "../credits/invoice-limit-repo";
import { companyWithCredit } from "../credits/testing/credit-rig";
import { startTestServer, type TestServer } from "../test-support/test-server";
import { newDestinationBlocks, setDestinationRule } from "./destination-rules";
import { PolicySync } from "./policy-sync";
import { approvePurchase } from "./purchase-approvals";
import { importTariff } from "./tariff-admin";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

/** Another server process on the same database: its own tariff, blocks and balances in memory. */
async function otherProcess() {
  const credits = new CreditsRuntime({ db: server.db });
  await credits.ready(server.clock.now);
  const blocks = newDestinationBlocks();
  const sync = new PolicySync({ db: server.db, credits, blocks, now: () => server.clock.now, log: { warn: () => {} } });
  await sync.start(0);
  return { credits, blocks, sync };
}

describe("operator changes made by another process", () => {
  it("reach this process's tariff and blocks at its next poll, and not before; its balances at once", async () => {
    const here = await otherProcess();
    const there = { credits: new CreditsRuntime({ db: server.db }), blocks: newDestinationBlocks() };
    await there.credits.ready(server.clock.now);
    const caller = await companyWithCredit(server, 0);

    const csv = "prefix,destination,kind,rate_per_minute_usd,connection_fee_usd,increments,effective_from,effective_to\n1,North America,other,0.2,0,60/60,2026-01-01,\n";
    const change = { actor: "cli:test", now: server.clock.now };
    const imported = await importTariff(server.db, there.credits, inlineImportParser(), { fileName: "cli.csv", csv, acceptValidRows: false }, change);
    await setDestinationRule(server.db, there.blocks, { prefix: "+1201", companyId: null, action: "block", note: "" }, change);
    await saveInvoiceLimit(server.db, caller.companyId, 0);
    const provider = new InvoicePaymentProvider();
    const waiting = await purchaseCredit(server.db, provider, { companyId: caller.companyId, userId: caller.user.id, amountMicros: 10_000_000, idempotencyKey: "sync-0001", now: server.clock.now });
    expect(waiting.purchase.status).toBe("awaiting_approval");
    const requestId = Number(waiting.purchase.id.replace("request-", ""));
    await approvePurchase(server.db, provider, { requestId, actor: "cli:test", note: null, now: server.clock.now });

    // Tariff and blocks: nothing yet, this process has not read the log. The balance is a row: seen at once.
    expect(here.credits.rateNow("+12015550123", server.clock.now)?.version).toBe(1);
    expect(here.blocks.isBlocked(caller.companyId, "+12015550123")).toBe(false);
    expect((await here.credits.balance(caller.companyId)).purchasedMicros).toBe(10_000_000);

    await here.sync.poll();
    expect(here.credits.rateNow("+12015550123", server.clock.now)).toMatchObject({ version: imported.version, row: { ratePerMinuteMicros: 200_000 } });
    expect(here.blocks.isBlocked(caller.companyId, "+12015550123")).toBe(true);
    expect((await here.credits.balance(caller.companyId)).purchasedMicros).toBe(10_000_000);
    await here.sync.stop();
  });
});
