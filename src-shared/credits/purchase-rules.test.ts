import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { plans } from "../domain/company";
import { allowedPurchaseUnits, checkPurchase } from "./purchase-rules";
import type { PurchaseInput } from "./purchase-rules";

const paying: PurchaseInput = { plan: "professional", isTrial: false, hasBillingDetails: true, amountMicros: 10_000_000 };

describe("checkPurchase", () => {
  it("lets a paying company buy $5, $10 or $15", () => {
    for (const amountMicros of [5_000_000, 10_000_000, 15_000_000]) expect(checkPurchase({ ...paying, amountMicros })).toEqual({ ok: true });
  });

  it("refuses any other amount", () => {
    for (const amountMicros of [0, 1, 4_999_999, 20_000_000, -5_000_000, 5_000_000.5]) {
      expect(checkPurchase({ ...paying, amountMicros })).toEqual({ ok: false, reason: "not_a_credit_unit" });
    }
  });

  it("a trial company cannot buy $10 of credit", () => {
    expect(checkPurchase({ ...paying, isTrial: true })).toEqual({ ok: false, reason: "trial_limit_exceeded" });
    expect(checkPurchase({ ...paying, isTrial: true, amountMicros: 15_000_000 })).toEqual({ ok: false, reason: "trial_limit_exceeded" });
  });

  it("a trial company without billing details cannot buy, with them it can buy $5", () => {
    expect(checkPurchase({ ...paying, isTrial: true, hasBillingDetails: false, amountMicros: 5_000_000 })).toEqual({ ok: false, reason: "billing_details_required" });
    expect(checkPurchase({ ...paying, isTrial: true, amountMicros: 5_000_000 })).toEqual({ ok: true });
  });

  it("refuses credit to plans without Caller", () => {
    expect(checkPurchase({ ...paying, plan: "advanced" })).toEqual({ ok: false, reason: "plan_without_caller" });
  });

  it("allows exactly the units the credits screen offers", () => {
    fc.assert(
      fc.property(fc.constantFrom(...plans), fc.boolean(), fc.constantFrom(0, 5_000_000, 10_000_000, 15_000_000, 25_000_000), (plan, isTrial, amountMicros) => {
        const offered = allowedPurchaseUnits({ plan, isTrial }).includes(amountMicros);
        expect(checkPurchase({ plan, isTrial, hasBillingDetails: true, amountMicros }).ok).toBe(offered);
      }),
    );
    expect(allowedPurchaseUnits({ plan: "enterprise", isTrial: true })).toEqual([5_000_000]);
    expect(allowedPurchaseUnits({ plan: "essential", isTrial: false })).toEqual([]);
  });
});
