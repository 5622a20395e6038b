import { afterEach, describe, expect, it } from "vitest";
import type { RateQuote } from "../../../src-shared/server-api/credits";
import type { CallerApi } from "../../bridge/api";
import { CallCostLine } from "./call-cost-line";
import { rememberQuote } from "./quote-memory";
import { render } from "./test-harness";

const answeredAt = Date.UTC(2026, 10, 24, 1, 0, 0);
const session = { signedIn: true as const, serverUrl: "http://127.0.0.1", user: { id: 1, name: "A", email: "a@x", role: "regular" as const, companyId: 1 }, company: { id: 1, name: "D", plan: "professional" as const, isTrial: true, country: "JP", currency: "USD", timeZone: "Asia/Tokyo" }, callerEnabled: true };
const api: Partial<CallerApi> = { getSession: () => Promise.resolve(session) as ReturnType<CallerApi["getSession"]> };

const trialQuote: RateQuote = {
  number: "+819012345678",
  destination: "Japan",
  kind: "mobile",
  ratePerMinuteMicros: 120_000,
  connectionFeeMicros: 0,
  increments: { first: 60, next: 60 },
  availableMicros: 20_000_000,
  maxSeconds: 600,
  limitedBy: "trial_cap",
};

afterEach(() => {
  document.body.innerHTML = "";
});

describe("the call screen's cost line", () => {
  it("shows the cost so far from the dialer's quote, and warns 30 s before the trial cap with the reason", async () => {
    rememberQuote(trialQuote);
    const { container, rerender } = await render(<CallCostLine number="+819012345678" connectedAt={answeredAt} now={answeredAt + 125_000} />, api);
    expect(container.querySelector("[data-testid=call-cost]")?.textContent).toBe("Cost so far $0.36");
    expect(container.querySelector("[data-testid=call-cut-warning]")).toBeNull();

    await rerender(<CallCostLine number="+819012345678" connectedAt={answeredAt} now={answeredAt + 575_000} />);
    const warning = container.querySelector("[data-testid=call-cut-warning]");
    expect(warning?.textContent).toBe("Trial limit: the call will be cut in 25 s.");
    expect(warning?.getAttribute("data-limited-by")).toBe("trial_cap");
  });

  it("says the balance runs out when the balance is the limit", async () => {
    rememberQuote({ ...trialQuote, number: "+81312345678", maxSeconds: 120, limitedBy: "balance" });
    const { container } = await render(<CallCostLine number="+81312345678" connectedAt={answeredAt} now={answeredAt + 100_000} />, api);
    expect(container.querySelector("[data-testid=call-cut-warning]")?.textContent).toBe("Credit runs out: the call will be cut in 20 s.");
  });

  it("asks for a quote itself when the call started before the dialer had one", async () => {
    const asked: string[] = [];
    const { container } = await render(<CallCostLine number="+12015550123" connectedAt={answeredAt} now={answeredAt + 1_000} />, {
      ...api,
      quoteRate: ({ number }) => {
        asked.push(number);
        return Promise.resolve({ ...trialQuote, number, ratePerMinuteMicros: 13_000, limitedBy: "balance", maxSeconds: 5_000 });
      },
    });
    expect(asked).toEqual(["+12015550123"]);
    expect(container.querySelector("[data-testid=call-cost]")?.textContent).toBe("Cost so far $0.01");
  });
});
