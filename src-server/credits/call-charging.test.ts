import { inlineImportParser } from "../imports/import-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HistoryCall } from "../../src-shared/api/contract";
import { inProcessWriter, type DurableWriter } from "../db/writer/durable-writer";
import { startTestServer, type TestServer } from "../test-support/test-server";
import { CreditsRuntime } from "./credits-runtime";
import { readBalance, sumLedger } from "./ledger-repo";
import { importTariff, restoreTariff } from "../operator/tariff-admin";
import { addCredit, authorize, cdrOf, companyWithCredit, recordedCall, testPbx } from "./testing/credit-rig";

let server: TestServer;
let writer: DurableWriter;
const quiet = { warn: () => {}, error: () => {} };

beforeAll(async () => {
  server = await startTestServer({ pbx: testPbx });
  writer = inProcessWriter(server.db, { log: quiet, raters: server.credits.raters });
});

afterAll(async () => {
  await writer.close();
  await server.close();
});

const charges = (uniqueid: string) => server.db("ledger_entries").where({ pbx_uniqueid: uniqueid }).orderBy("id").select("bucket", "kind", "amount_micros", "destination", "billed_seconds", "tariff_version");

describe("charging a call at its CDR", () => {
  it("50 concurrent retries of one CDR charge the call once, bonus first, and release its reservation", async () => {
    const caller = await companyWithCredit(server, 10_000_000);
    await addCredit(server, caller.companyId, 20_000, "grant:test", "bonus");
    const start = server.clock.now;
    expect(await authorize(server, caller.endpointId, "+12015550123", "pbx-c.1")).toMatch(/^result=allow&.*maxSeconds=3600/);
    await recordedCall(server, caller.user.id, "pbx-c.1");
    // An hour at $0.013 a minute is held while the call lasts.
    expect(await server.credits.reservedMicros(caller.companyId)).toBe(780_000);

    // 61 s on 60/60 increments: two minutes at $0.013.
    const cdr = cdrOf("pbx-c.1", caller.endpointId, "+12015550123", 61, start);
    await Promise.all(Array.from({ length: 50 }, () => writer.run("ingestCdrs", { cdrs: [cdr], now: server.clock.now })));

    expect(await charges("pbx-c.1")).toEqual([
      { bucket: "bonus", kind: "call_charge", amount_micros: -20_000, destination: "United States and Canada", billed_seconds: 61, tariff_version: 1 },
      { bucket: "purchased", kind: "call_charge", amount_micros: -6_000, destination: "United States and Canada", billed_seconds: 61, tariff_version: 1 },
    ]);
    const call = await recordedCall(server, caller.user.id, "pbx-c.1");
    expect(call).toMatchObject({ status: "ended", costMicros: 26_000, tariffVersion: 1 });
    const change = await server.db("changes").where({ entity: "call", entity_id: String(call.id) }).orderBy("seq", "desc").first<{ data: string }>();
    expect(HistoryCall.parse(JSON.parse(change.data))).toMatchObject({ costMicros: 26_000, billedSeconds: 61 });

    const balance = await readBalance(server.db, caller.companyId);
    expect(balance).toMatchObject({ bonusMicros: 0, purchasedMicros: 9_994_000 });
    expect(await sumLedger(server.db, caller.companyId)).toEqual({ bonusMicros: 0, purchasedMicros: 9_994_000 });
    expect(await server.credits.balance(caller.companyId)).toEqual({ bonusMicros: 0, purchasedMicros: 9_994_000, reservedMicros: 0 });
  });

  it("an unanswered call costs nothing and writes no entry", async () => {
    const caller = await companyWithCredit(server, 1_000_000);
    await authorize(server, caller.endpointId, "+12015550123", "pbx-c.2");
    await writer.run("ingestCdrs", { cdrs: [cdrOf("pbx-c.2", caller.endpointId, "+12015550123", 0, server.clock.now)], now: server.clock.now });
    expect(await charges("pbx-c.2")).toEqual([]);
    expect(await recordedCall(server, caller.user.id, "pbx-c.2")).toMatchObject({ status: "ended", costMicros: 0 });
    expect(await server.credits.balance(caller.companyId)).toEqual({ bonusMicros: 0, purchasedMicros: 1_000_000, reservedMicros: 0 });
  });

  it("a rate changed mid-month charges each call at the version in force when it started", async () => {
    const caller = await companyWithCredit(server, 5_000_000);
    const before = server.clock.now + 60_000;
    server.clock.now = before;
    await authorize(server, caller.endpointId, "+12015550199", "pbx-c.3");
    server.clock.now += 60_000;
    const csv = "prefix,destination,kind,rate_per_minute_usd,connection_fee_usd,increments,effective_from,effective_to\n1,North America,fixed,0.10,0,60/60,2026-01-01,\n";
    const imported = await importTariff(server.db, server.credits, inlineImportParser(), { fileName: "new.csv", csv, acceptValidRows: false }, { actor: "test", now: server.clock.now });
    expect(imported).toMatchObject({ imported: 1, rejected: [] });
    server.clock.now += 60_000;
    await authorize(server, caller.endpointId, "+12015550199", "pbx-c.4");
    // Both CDRs arrive after the import.
    await writer.run("ingestCdrs", {
      cdrs: [cdrOf("pbx-c.3", caller.endpointId, "+12015550199", 30, before), cdrOf("pbx-c.4", caller.endpointId, "+12015550199", 30, server.clock.now)],
      now: server.clock.now,
    });
    expect(await charges("pbx-c.3")).toEqual([expect.objectContaining({ amount_micros: -13_000, tariff_version: 1 })]);
    expect(await charges("pbx-c.4")).toEqual([expect.objectContaining({ amount_micros: -100_000, destination: "North America", tariff_version: imported.version })]);
    // The tariff is the whole service's: the next tests rate with the default again.
    await restoreTariff(server.db, server.credits, inlineImportParser(), 1, { actor: "test", now: server.clock.now });
  });
});

describe("reservations", () => {
  it("two simultaneous authorizes on one balance cannot both spend it", async () => {
    // $0.50 buys 246 s to a Japanese mobile at $0.12 a minute (30/6): enough for one call, not two.
    const caller = await companyWithCredit(server, 500_000);
    const answers = await Promise.all([1, 2, 3, 4].map((n) => authorize(server, caller.endpointId, "+819012345678", `pbx-r.${n}`)));
    expect(answers.filter((a) => a.startsWith("result=allow"))).toEqual(["result=allow&callerid=%2B81312340000&maxSeconds=246&record=0"]);
    expect(answers.filter((a) => a === "result=deny&reason=no_credit")).toHaveLength(3);
    expect(await server.credits.reservedMicros(caller.companyId)).toBeLessThanOrEqual(500_000);
  });

  it("are rows: a restarted process finds them, and past the call's limit and margin the sweep releases them", async () => {
    const caller = await companyWithCredit(server, 2_000_000);
    await authorize(server, caller.endpointId, "+819012345678", "pbx-r.10");
    await recordedCall(server, caller.user.id, "pbx-r.10");
    const held = await server.credits.reservedMicros(caller.companyId);
    expect(held).toBeGreaterThan(0);
    const restarted = new CreditsRuntime({ db: server.db });
    await restarted.ready(server.clock.now);
    expect(await restarted.reservedMicros(caller.companyId)).toBe(held);
    await restarted.sweep(server.clock.now);
    expect(await restarted.reservedMicros(caller.companyId)).toBe(held);
    // Past the call's limit and margin its hold goes.
    await restarted.sweep(server.clock.now + 3 * 3_600_000);
    expect(await restarted.reservedMicros(caller.companyId)).toBe(0);
    expect(await server.db("credit_reservations").where({ pbx_uniqueid: "pbx-r.10" })).toEqual([]);
  });

  it("a company at zero credit cannot call, and can once credit arrives", async () => {
    const caller = await companyWithCredit(server, 0);
    expect(await authorize(server, caller.endpointId, "+12015550123", "pbx-r.20")).toBe("result=deny&reason=no_credit");
    await addCredit(server, caller.companyId, 5_000_000, "topup");
    expect(await authorize(server, caller.endpointId, "+12015550123", "pbx-r.21")).toMatch(/^result=allow/);
  });

  it("a trial's call is capped at 10 minutes, and a number without a rate is destination_blocked", async () => {
    const caller = await companyWithCredit(server, 5_000_000, { isTrial: true });
    expect(await authorize(server, caller.endpointId, "+12015550123", "pbx-r.30")).toMatch(/maxSeconds=600&/);
    const csv = "prefix,destination,kind,rate_per_minute_usd,connection_fee_usd,increments,effective_from,effective_to\n81,Japan,fixed,0.05,0,60/60,2026-01-01,\n";
    await importTariff(server.db, server.credits, inlineImportParser(), { fileName: "jp.csv", csv, acceptValidRows: false }, { actor: "test", now: server.clock.now });
    expect(await authorize(server, caller.endpointId, "+12015550123", "pbx-r.31")).toBe("result=deny&reason=destination_blocked");
    await restoreTariff(server.db, server.credits, inlineImportParser(), 1, { actor: "test", now: server.clock.now });
  });
});
