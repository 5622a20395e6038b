import { describe, expect, it } from "vitest";
import { defaultInvoiceLimitMicros, invoiceDecision } from "./invoice-limit";

describe("the monthly invoice limit", () => {
  it("posts a purchase that keeps the month's invoiced total at or below the limit", () => {
    expect(invoiceDecision({ limitMicros: 20_000_000, invoicedThisMonthMicros: 5_000_000, amountMicros: 15_000_000 })).toBe("post");
    expect(invoiceDecision({ limitMicros: 20_000_000, invoicedThisMonthMicros: 10_000_000, amountMicros: 15_000_000 })).toBe("approval");
  });

  it("sends every purchase for approval at a limit of 0", () => {
    expect(invoiceDecision({ limitMicros: 0, invoicedThisMonthMicros: 0, amountMicros: 5_000_000 })).toBe("approval");
  });

  it("uses the service default when the company has none", () => {
    expect(invoiceDecision({ limitMicros: null, invoicedThisMonthMicros: defaultInvoiceLimitMicros - 5_000_000, amountMicros: 5_000_000 })).toBe("post");
    expect(invoiceDecision({ limitMicros: null, invoicedThisMonthMicros: defaultInvoiceLimitMicros, amountMicros: 5_000_000 })).toBe("approval");
  });
});
