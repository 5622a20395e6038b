import { describe, expect, it } from "vitest";
import type { CreditsSummary, RateQuote } from "../../../src-shared/server-api/credits";
import { toLedgerFilter } from "./ledger-panel";
import { isLowBalance } from "./low-balance-banner";
import { dollarsText } from "./low-balance-setting";
import { quoteText } from "./rate-hint";

describe("credits screen helpers", () => {
  it("write a threshold back as exact dollars", () => {
    expect(dollarsText(null)).toBe("");
    expect(dollarsText(2_500_000)).toBe("2.5");
    expect(dollarsText(5_000_000)).toBe("5");
    expect(dollarsText(1)).toBe("0.000001");
  });

  it("leave out ledger filters not chosen", () => {
    expect(toLedgerFilter({ kind: "", bucket: "", from: "", to: "" }, "UTC")).toEqual({});
    expect(toLedgerFilter({ kind: "refund", bucket: "", from: "", to: "2026-11-30" }, "UTC")).toEqual({ kind: "refund", to: Date.UTC(2026, 11, 1) });
  });

  it("call the balance low below the threshold, counting credit held by calls in progress", () => {
    const s = (patch: Partial<CreditsSummary>): CreditsSummary => ({
      bonusMicros: 1_000_000,
      purchasedMicros: 1_000_000,
      reservedMicros: 0,
      bonusExpiresAt: 0,
      callerUsers: 1,
      monthlyBonusMicros: 4_000_000,
      purchaseUnitsMicros: [],
      isTrial: false,
      billingDetailsOnFile: false,
      lowBalanceThresholdMicros: 2_000_000,
      currency: "USD",
    invoicedThisMonthMicros: 0,
    invoiceLimitMicros: 50_000_000,
    awaitingApproval: [],
      ...patch,
    });
    expect(isLowBalance(s({}))).toBe(false);
    expect(isLowBalance(s({ reservedMicros: 1 }))).toBe(true);
    expect(isLowBalance(s({ lowBalanceThresholdMicros: null, bonusMicros: 0 }))).toBe(false);
  });

  it("word a quote without a rate as not callable", () => {
    const t = (key: string) => key;
    const none: RateQuote = { number: "+88212345678", destination: null, kind: null, ratePerMinuteMicros: null, connectionFeeMicros: null, increments: null, availableMicros: 0, maxSeconds: 0, limitedBy: "no_rate" };
    expect(quoteText(none, t, String, "en")).toEqual({ callable: false, text: "rateQuote.noRate" });
  });
});
