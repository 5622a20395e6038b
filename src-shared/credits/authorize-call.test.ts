import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CallerError } from "../errors";
import { plans } from "../domain/company";
import { authorizeCall, pbxMaxSeconds } from "./authorize-call";
import type { AuthorizeCallInput } from "./authorize-call";
import { callCostMicros } from "./cost";
import type { CostRow } from "./cost";

const japan: CostRow = { ratePerMinuteMicros: 45_000, connectionFeeMicros: 0, increments: { first: 60, next: 60 } };
const dollars = (n: number) => n * 1_000_000;

const base: AuthorizeCallInput = {
  plan: "professional",
  isTrial: false,
  callerEnabled: true,
  balance: { bonusMicros: dollars(4), purchasedMicros: dollars(10), reservedMicros: 0 },
  row: japan,
};

describe("authorizeCall", () => {
  it("allows a call for as long as the balance pays, and says what to reserve", () => {
    // $14 at $0.045/min buys 311 whole minutes ($13.995).
    expect(authorizeCall(base)).toEqual({ ok: true, maxSeconds: 311 * 60, limitedBy: "balance", reserveMicros: 13_995_000 });
  });

  it("caps a trial company's call at 10 minutes", () => {
    expect(authorizeCall({ ...base, isTrial: true })).toMatchObject({ ok: true, maxSeconds: 600, limitedBy: "trial_cap" });
    expect(authorizeCall({ ...base, isTrial: true, trialCapSeconds: 5 })).toMatchObject({ ok: true, maxSeconds: 5, limitedBy: "trial_cap" });
  });

  it("caps a trial call by the balance when that is shorter", () => {
    const poor = { ...base, isTrial: true, balance: { bonusMicros: 100_000, purchasedMicros: 0, reservedMicros: 0 } };
    expect(authorizeCall(poor)).toMatchObject({ ok: true, maxSeconds: 120, limitedBy: "balance", reserveMicros: 90_000 });
  });

  it("applies the company's own maximum and never exceeds what the dialplan accepts", () => {
    expect(authorizeCall({ ...base, companyMaxSeconds: 1800 })).toMatchObject({ maxSeconds: 1800, limitedBy: "company_max" });
    const free = { ...base, row: { ...japan, ratePerMinuteMicros: 0 } };
    expect(authorizeCall(free)).toMatchObject({ ok: true, maxSeconds: pbxMaxSeconds, limitedBy: "pbx_max", reserveMicros: 0 });
  });

  it("refuses Caller on plans without it and for users it is not enabled for", () => {
    expect(authorizeCall({ ...base, plan: "advanced" })).toEqual({ ok: false, reason: "caller_not_enabled" });
    expect(authorizeCall({ ...base, plan: "essential" })).toEqual({ ok: false, reason: "caller_not_enabled" });
    expect(authorizeCall({ ...base, callerEnabled: false })).toEqual({ ok: false, reason: "caller_not_enabled" });
    expect(authorizeCall({ ...base, plan: "enterprise", isTrial: true }).ok).toBe(true);
  });

  it("blocks a destination without a tariff row", () => {
    expect(authorizeCall({ ...base, row: null })).toEqual({ ok: false, reason: "destination_blocked" });
  });

  it("refuses a company at zero credit, even for a free destination", () => {
    const zero = { bonusMicros: 0, purchasedMicros: 0, reservedMicros: 0 };
    expect(authorizeCall({ ...base, balance: zero })).toEqual({ ok: false, reason: "no_credit" });
    expect(authorizeCall({ ...base, balance: zero, row: { ...japan, ratePerMinuteMicros: 0 } })).toEqual({ ok: false, reason: "no_credit" });
  });

  it("refuses when reservations of calls in progress leave less than the fee and first increment", () => {
    const row = { ...japan, connectionFeeMicros: 10_000 };
    const balance = { bonusMicros: 30_000, purchasedMicros: 30_000, reservedMicros: 5_001 };
    expect(authorizeCall({ ...base, row, balance })).toEqual({ ok: false, reason: "no_credit" });
    expect(authorizeCall({ ...base, row, balance: { ...balance, reservedMicros: 5_000 } })).toMatchObject({ ok: true, maxSeconds: 60, reserveMicros: 55_000 });
  });

  it("refuses malformed caps and amounts loudly", () => {
    expect(() => authorizeCall({ ...base, companyMaxSeconds: 0 })).toThrow(CallerError);
    expect(() => authorizeCall({ ...base, trialCapSeconds: 1.5 })).toThrow(CallerError);
    expect(() => authorizeCall({ ...base, balance: { ...base.balance, bonusMicros: 0.5 } })).toThrow(CallerError);
  });

  it("never allows a call whose reservation exceeds what is available", () => {
    const input = fc.record({
      plan: fc.constantFrom(...plans),
      isTrial: fc.boolean(),
      callerEnabled: fc.boolean(),
      balance: fc.record({
        bonusMicros: fc.integer({ min: 0, max: dollars(100) }),
        purchasedMicros: fc.integer({ min: 0, max: dollars(100) }),
        reservedMicros: fc.integer({ min: 0, max: dollars(50) }),
      }),
      row: fc.option(
        fc.record({
          ratePerMinuteMicros: fc.integer({ min: 0, max: dollars(2) }),
          connectionFeeMicros: fc.integer({ min: 0, max: 100_000 }),
          increments: fc.record({ first: fc.constantFrom(1, 30, 60), next: fc.constantFrom(1, 6, 60) }),
        }),
      ),
      companyMaxSeconds: fc.option(fc.integer({ min: 1, max: 10_000 })),
    });
    fc.assert(
      fc.property(input, (args) => {
        const result = authorizeCall(args);
        if (!result.ok) return;
        const available = args.balance.bonusMicros + args.balance.purchasedMicros - args.balance.reservedMicros;
        expect(result.maxSeconds).toBeGreaterThanOrEqual(1);
        expect(result.reserveMicros).toBe(callCostMicros(result.maxSeconds, args.row!));
        expect(result.reserveMicros).toBeLessThanOrEqual(available);
        if (args.isTrial) expect(result.maxSeconds).toBeLessThanOrEqual(600);
      }),
    );
  });
});
