import { afterEach, describe, expect, it } from "vitest";
import type { RateQuote } from "../../../src-shared/server-api/credits";
import type { CallerApi } from "../../bridge/api";
import { useServerChangeRefresh } from "../../query/server-change-refresh";
import { LowBalanceBanner } from "./low-balance-banner";
import { rememberedQuote } from "./quote-memory";
import { RateHint } from "./rate-hint";
import { render, settle } from "./test-harness";
import { act } from "react";

const quote = (number: string, patch: Partial<RateQuote> = {}): RateQuote => ({
  number,
  destination: "Japan",
  kind: number.startsWith("+8190") ? "mobile" : "fixed",
  ratePerMinuteMicros: number.startsWith("+8190") ? 120_000 : 50_000,
  connectionFeeMicros: 0,
  increments: { first: 30, next: 6 },
  availableMicros: 5_040_000,
  maxSeconds: 2_520,
  limitedBy: "balance",
  ...patch,
});

const session = { signedIn: true as const, serverUrl: "http://127.0.0.1", user: { id: 1, name: "A", email: "a@x", role: "admin" as const, companyId: 1 }, company: { id: 1, name: "D", plan: "professional" as const, isTrial: false, country: "JP", currency: "USD", timeZone: "Asia/Tokyo" }, callerEnabled: true };

const wait = (ms: number) => act(async () => {
  await new Promise((resolve) => setTimeout(resolve, ms));
  await settle();
});

afterEach(() => {
  document.body.innerHTML = "";
});

describe("the dialer's rate for the exact number typed", () => {
  it("asks once typing pauses and shows rate, kind and minutes; mobile and fixed differ", async () => {
    const asked: string[] = [];
    const api: Partial<CallerApi> = {
      getSession: () => Promise.resolve(session) as ReturnType<CallerApi["getSession"]>,
      quoteRate: ({ number }) => {
        asked.push(number);
        return Promise.resolve(quote(number));
      },
    };
    const { container, rerender } = await render(<RateHint e164="+819012345678" />, api);
    expect(container.textContent).toBe("Checking the rate…");
    await wait(300);
    expect(asked).toEqual(["+819012345678"]);
    expect(container.textContent).toBe("Japan (mobile) · $0.12/min · the balance buys 42 minutes");
    expect(rememberedQuote("+819012345678")?.ratePerMinuteMicros).toBe(120_000);

    await rerender(<RateHint e164="+81312345678" />);
    await wait(300);
    expect(container.textContent).toBe("Japan (fixed) · $0.05/min · the balance buys 100 minutes");
  });

  it("does not ask for every keystroke", async () => {
    const asked: string[] = [];
    const api: Partial<CallerApi> = {
      getSession: () => Promise.resolve(session) as ReturnType<CallerApi["getSession"]>,
      quoteRate: ({ number }) => {
        asked.push(number);
        return Promise.resolve(quote(number));
      },
    };
    const { rerender } = await render(<RateHint e164="+8131234567" />, api);
    await rerender(<RateHint e164="+81312345678" />);
    await wait(300);
    expect(asked).toEqual(["+81312345678"]);
  });

  it("says why a number cannot be called: no rate, or no credit", async () => {
    const api: Partial<CallerApi> = {
      getSession: () => Promise.resolve(session) as ReturnType<CallerApi["getSession"]>,
      quoteRate: ({ number }) =>
        Promise.resolve(
          number === "+88212345678"
            ? quote(number, { destination: null, kind: null, ratePerMinuteMicros: null, connectionFeeMicros: null, increments: null, maxSeconds: 0, limitedBy: "no_rate" })
            : quote(number, { maxSeconds: 0 }),
        ),
    };
    const { container, rerender } = await render(<RateHint e164="+88212345678" />, api);
    await wait(300);
    expect(container.querySelector("[data-testid=rate-hint]")?.getAttribute("data-state")).toBe("refused");
    expect(container.textContent).toBe("No rate covers this number, so it cannot be called.");
    await rerender(<RateHint e164="+81312345678" />);
    await wait(300);
    expect(container.textContent).toBe("Not enough credit to call this number.");
  });

  it("names the trial cap when it is what limits the call", async () => {
    const api: Partial<CallerApi> = {
      getSession: () => Promise.resolve(session) as ReturnType<CallerApi["getSession"]>,
      quoteRate: ({ number }) => Promise.resolve(quote(number, { maxSeconds: 600, limitedBy: "trial_cap" })),
    };
    const { container } = await render(<RateHint e164="+81312345678" />, api);
    await wait(300);
    expect(container.textContent).toBe("Japan (fixed) · $0.05/min · the balance buys 100 minutes · trial calls end at 10 minutes");
  });

  it("counts the minutes a $27 balance buys at the number's rate, apart from the company's per-call limit", async () => {
    const rates: Record<string, number> = { "+12025550123": 13_000, "+81312345678": 50_000, "+819012345678": 120_000 };
    const api: Partial<CallerApi> = {
      getSession: () => Promise.resolve(session) as ReturnType<CallerApi["getSession"]>,
      quoteRate: ({ number }) =>
        Promise.resolve(quote(number, { destination: number.startsWith("+1") ? "United States" : "Japan", ratePerMinuteMicros: rates[number] ?? 0, availableMicros: 27_000_000, maxSeconds: 3_600, limitedBy: "company_max" })),
    };
    const { container, rerender } = await render(<RateHint e164="+12025550123" />, api);
    await wait(300);
    expect(container.textContent).toBe("United States (fixed) · $0.013/min · the balance buys 2,076 minutes · each call ends at 60 minutes (company limit)");
    await rerender(<RateHint e164="+81312345678" />);
    await wait(300);
    expect(container.textContent).toContain("$0.05/min · the balance buys 540 minutes · each call ends at 60 minutes");
    await rerender(<RateHint e164="+819012345678" />);
    await wait(300);
    expect(container.textContent).toContain("$0.12/min · the balance buys 225 minutes · each call ends at 60 minutes");
  });
});

describe("the low-balance banner for admins", () => {
  const summary = (bonus: number, threshold: number | null) => ({
    bonusMicros: bonus,
    purchasedMicros: 0,
    reservedMicros: 0,
    bonusExpiresAt: 0,
    callerUsers: 1,
    monthlyBonusMicros: 4_000_000,
    purchaseUnitsMicros: [5_000_000],
    isTrial: false,
    billingDetailsOnFile: true,
    lowBalanceThresholdMicros: threshold,
    currency: "USD",
    invoicedThisMonthMicros: 0,
    invoiceLimitMicros: 50_000_000,
    awaitingApproval: [],
  });

  // The root's one refresh mechanism, as the app has it above the workspace.
  function FedBanner({ seq }: { seq: number }) {
    useServerChangeRefresh(seq);
    return <LowBalanceBanner />;
  }

  it("shows while credit is under the threshold and is rechecked when the change feed moves, once per sequence", async () => {
    let bonus = 9_000_000;
    let asked = 0;
    const api: Partial<CallerApi> = {
      getCredits: () => {
        asked += 1;
        return Promise.resolve(summary(bonus, 2_000_000));
      },
    };
    const { container, rerender } = await render(<FedBanner seq={1} />, api);
    expect(container.textContent).toBe("");
    bonus = 1_500_000;
    await rerender(<FedBanner seq={2} />);
    await settle();
    expect(container.textContent).toBe("Calling credit is low: $1.50 left (warning below $2.00).");
    bonus = 9_000_000;
    await rerender(<FedBanner seq={3} />);
    await settle();
    expect(container.textContent).toBe("");
    expect(asked).toBe(3);
  });

  it("stays hidden without a threshold", async () => {
    const { container } = await render(<LowBalanceBanner />, { getCredits: () => Promise.resolve(summary(0, null)) });
    expect(container.querySelector("[data-testid=low-balance-banner]")).toBeNull();
  });
});
