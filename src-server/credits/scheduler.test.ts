import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCompany } from "../db/companies-repo";
import { createUser } from "../db/users-repo";
import { openSqliteTestDb, type TestDb } from "../test-support/test-db";
import { readBalance, postEntries, sumLedger } from "./ledger-repo";
import { CreditsRuntime } from "./credits-runtime";
import { runCreditSchedule } from "./scheduler";

let handle: TestDb;
let companyId: number;

const tokyo = (iso: string): number => Date.parse(`${iso}+09:00`);

beforeEach(async () => {
  handle = await openSqliteTestDb();
  const company = await createCompany(handle.db, { name: "Tokyo K.K.", plan: "professional", isTrial: false, country: "JP", currency: "USD", timeZone: "Asia/Tokyo" }, tokyo("2026-01-10T12:00:00"));
  companyId = company.id;
  const user = (email: string, role: "admin" | "regular", callerEnabled: boolean) =>
    createUser(handle.db, { companyId, email, name: email, role, locale: null, callerEnabled, passwordHash: "x" }, tokyo("2026-01-10T12:00:00"));
  await user("boss@t.example", "admin", false);
  await user("seller@t.example", "regular", true);
  await user("clerk@t.example", "regular", false);
});

afterEach(async () => {
  await handle.close();
});

const entries = () => handle.db("ledger_entries").where({ company_id: companyId }).orderBy("id").select("kind", "bucket", "amount_micros", "period");

describe("the monthly bonus scheduler", () => {
  it("after a simulated 3-month downtime grants and expires exactly once per month, in month order", async () => {
    expect(await runCreditSchedule(handle.db, new CreditsRuntime({ db: handle.db }), tokyo("2026-01-15T09:00:00"))).toEqual({ grants: 1, expiries: 0 });
    // $3 of January's $8 bonus spent on calls.
    await handle.db.transaction((trx) => postEntries(trx, companyId, [{ bucket: "bonus", kind: "call_charge", amountMicros: -3_000_000, idempotencyKey: "call:x" }], tokyo("2026-01-20T10:00:00")));

    // Down from January 15th to April 5th.
    expect(await runCreditSchedule(handle.db, new CreditsRuntime({ db: handle.db }), tokyo("2026-04-05T08:00:00"))).toEqual({ grants: 3, expiries: 3 });
    expect(await runCreditSchedule(handle.db, new CreditsRuntime({ db: handle.db }), tokyo("2026-04-05T08:00:01"))).toEqual({ grants: 0, expiries: 0 });
    expect(await runCreditSchedule(handle.db, new CreditsRuntime({ db: handle.db }), tokyo("2026-04-29T23:59:59"))).toEqual({ grants: 0, expiries: 0 });

    expect(await entries()).toEqual([
      { kind: "grant", bucket: "bonus", amount_micros: 8_000_000, period: "2026-01" },
      { kind: "call_charge", bucket: "bonus", amount_micros: -3_000_000, period: null },
      { kind: "expiry", bucket: "bonus", amount_micros: -5_000_000, period: "2026-01" },
      { kind: "grant", bucket: "bonus", amount_micros: 8_000_000, period: "2026-02" },
      { kind: "expiry", bucket: "bonus", amount_micros: -8_000_000, period: "2026-02" },
      { kind: "grant", bucket: "bonus", amount_micros: 8_000_000, period: "2026-03" },
      { kind: "expiry", bucket: "bonus", amount_micros: -8_000_000, period: "2026-03" },
      { kind: "grant", bucket: "bonus", amount_micros: 8_000_000, period: "2026-04" },
    ]);
    const balance = await readBalance(handle.db, companyId);
    expect(balance).toMatchObject({ bonusMicros: 8_000_000, purchasedMicros: 0 });
    expect(await sumLedger(handle.db, companyId)).toEqual({ bonusMicros: balance.bonusMicros, purchasedMicros: balance.purchasedMicros });
  });

  it("expires at midnight in the company's zone, not UTC's", async () => {
    await runCreditSchedule(handle.db, new CreditsRuntime({ db: handle.db }), tokyo("2026-01-15T09:00:00"));
    expect(await runCreditSchedule(handle.db, new CreditsRuntime({ db: handle.db }), tokyo("2026-01-31T23:59:59"))).toEqual({ grants: 0, expiries: 0 });
    // 2026-02-01 00:00 in Tokyo is still January 31st in UTC.
    expect(await runCreditSchedule(handle.db, new CreditsRuntime({ db: handle.db }), tokyo("2026-02-01T00:00:00"))).toEqual({ grants: 1, expiries: 1 });
  });

  it("two runs racing for the same months still grant once", async () => {
    const at = tokyo("2026-03-02T00:00:00");
    const runs = await Promise.all([runCreditSchedule(handle.db, new CreditsRuntime({ db: handle.db }), at), runCreditSchedule(handle.db, new CreditsRuntime({ db: handle.db }), at)]);
    expect(runs.reduce((n, r) => n + r.grants, 0)).toBe(3);
    expect((await entries()).filter((e: { kind: string }) => e.kind === "grant")).toHaveLength(3);
  });

  it("grants nothing on a plan without Caller", async () => {
    await handle.db("companies").where({ id: companyId }).update({ plan: "advanced" });
    expect(await runCreditSchedule(handle.db, new CreditsRuntime({ db: handle.db }), tokyo("2026-03-02T00:00:00"))).toEqual({ grants: 0, expiries: 0 });
    expect(await entries()).toEqual([]);
  });
});
