import { describe, expect, it } from "vitest";
import type { CreditsSummary, RateQuote } from "../../../src-shared/server-api/credits";
import { toLedgerFilter } from "./ledger-panel";
import { isLowBalance } from "./low-balance-banner";
import { dollarsText } from "./low-balance-setting";
import { quoteText } from "./rate-hint";
import { validRowCount } from "./tariff-panel";

const header = "prefix,destination,kind,rate_per_minute_usd,connection_fee_usd,increments,effective_from,effective_to";

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
      ...patch,
    });
    expect(isLowBalance(s({}))).toBe(false);
    expect(isLowBalance(s({ reservedMicros: 1 }))).toBe(true);
    expect(isLowBalance(s({ lowBalanceThresholdMicros: null, bonusMicros: 0 }))).toBe(false);
  });

  it("word a quote without a rate as not callable", () => {
    const t = (key: string) => key;
    const none: RateQuote = { number: "+88212345678", destination: null, kind: null, ratePerMinuteMicros: null, connectionFeeMicros: null, increments: null, maxSeconds: 0, limitedBy: "no_rate" };
    expect(quoteText(none, t, String)).toEqual({ callable: false, text: "rateQuote.noRate" });
  });

  it("count the rows 'import the valid rows' would bring when the server's report gives no count", () => {
    const csv = [header, "81,Japan,fixed,0.05,0,30/6,2026-01-01,", "82,Korea,fixed,x,0,30/6,2026-01-01,", "44,UK,fixed,0.01,0,60/60,2026-01-01,"].join("\n");
    const rejected = [{ line: 3, code: "bad_amount" as const, reason: "bad" }];
    expect(validRowCount({ fileName: "t.csv", csv, report: { version: null, imported: 0, rejected } })).toBe(2);
    // A row only the server refused (an overlap with the current version, say) is not counted.
    const serverOnly = [...rejected, { line: 4, code: "overlapping_period" as const, reason: "overlap" }];
    expect(validRowCount({ fileName: "t.csv", csv, report: { version: null, imported: 0, rejected: serverOnly } })).toBe(1);
  });
});
