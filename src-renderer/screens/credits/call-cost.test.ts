import { describe, expect, it } from "vitest";
import type { RateQuote } from "../../../src-shared/server-api/credits";
import { connectedSeconds, costSoFarMicros, cutBy, cutWarning, minutesAvailable } from "./call-cost";

const answeredAt = Date.UTC(2026, 10, 24, 1, 0, 0);
const after = (seconds: number) => answeredAt + seconds * 1000;

const quote = (patch: Partial<RateQuote> = {}): RateQuote => ({
  number: "+819012345678",
  destination: "Japan",
  kind: "mobile",
  ratePerMinuteMicros: 120_000,
  connectionFeeMicros: 10_000,
  increments: { first: 30, next: 6 },
  availableMicros: 20_000_000,
  maxSeconds: 600,
  limitedBy: "trial_cap",
  ...patch,
});

describe("the live cost of a call", () => {
  it("charges the connection fee and the first increment as soon as the call is answered", () => {
    // 10 000 fee + 30 s at 0.12/min = 60 000.
    expect(costSoFarMicros(quote(), answeredAt, answeredAt)).toBe(70_000);
    expect(costSoFarMicros(quote(), answeredAt, after(29.5))).toBe(70_000);
  });

  it("grows by whole next increments, counting a started second", () => {
    // 31 s → 36 s charged: 10 000 + 72 000.
    expect(costSoFarMicros(quote(), answeredAt, after(30.2))).toBe(82_000);
    expect(costSoFarMicros(quote(), answeredAt, after(36))).toBe(82_000);
    expect(costSoFarMicros(quote(), answeredAt, after(36.001))).toBe(10_000 + 84_000);
  });

  it("is unknown without a rate", () => {
    expect(costSoFarMicros(quote({ ratePerMinuteMicros: null, connectionFeeMicros: null, increments: null, limitedBy: "no_rate", maxSeconds: 0 }), answeredAt, after(5))).toBeNull();
  });

  it("counts at least one second once connected, never negative on a clock behind", () => {
    expect(connectedSeconds(answeredAt, answeredAt - 500)).toBe(1);
    expect(connectedSeconds(answeredAt, after(61.2))).toBe(62);
  });
});

describe("the warning before the call is cut", () => {
  it("stays quiet until 30 s before the maximum, counted from answer", () => {
    expect(cutWarning(quote(), answeredAt, after(569))).toBeNull();
    expect(cutWarning(quote(), answeredAt, after(570))).toEqual({ secondsLeft: 30, limitedBy: "trial_cap" });
    expect(cutWarning(quote(), answeredAt, after(595.9))).toEqual({ secondsLeft: 5, limitedBy: "trial_cap" });
  });

  it("says the balance is the reason when the balance sets the limit", () => {
    expect(cutWarning(quote({ maxSeconds: 90, limitedBy: "balance" }), answeredAt, after(75))).toEqual({ secondsLeft: 15, limitedBy: "balance" });
  });

  it("warns from the start of a call shorter than 30 s, and shows 0 after the cut is due", () => {
    expect(cutWarning(quote({ maxSeconds: 20, limitedBy: "balance" }), answeredAt, answeredAt)).toEqual({ secondsLeft: 20, limitedBy: "balance" });
    expect(cutWarning(quote({ maxSeconds: 20, limitedBy: "balance" }), answeredAt, after(25))).toEqual({ secondsLeft: 0, limitedBy: "balance" });
  });

  it("never warns for a number without a rate", () => {
    expect(cutWarning(quote({ maxSeconds: 0, limitedBy: "no_rate" }), answeredAt, after(1))).toBeNull();
  });
});

describe("the minutes shown in the dialer", () => {
  it("are whole minutes of the quote's maximum", () => {
    expect(minutesAvailable(quote({ maxSeconds: 600 }))).toBe(10);
    expect(minutesAvailable(quote({ maxSeconds: 179 }))).toBe(2);
    expect(minutesAvailable(quote({ maxSeconds: 0 }))).toBe(0);
  });
});

describe("a call the PBX cut", () => {
  const limited = (limitedBy: RateQuote["limitedBy"], maxSeconds: number) => quote({ limitedBy, maxSeconds });
  it("is the limit when it lasted the quote's maximum (less 2 s of slack), not before", () => {
    expect(cutBy(limited("trial_cap", 600), 0, 598_500)).toBe("trial_cap");
    expect(cutBy(limited("balance", 90), 1_000, 91_000)).toBe("balance");
    expect(cutBy(limited("trial_cap", 600), 0, 590_000)).toBeNull();
  });
  it("is never the limit without a quote, an answer or a rate", () => {
    expect(cutBy(null, 0, 10_000_000)).toBeNull();
    expect(cutBy(limited("trial_cap", 600), null, 10_000_000)).toBeNull();
    expect(cutBy(limited("no_rate", 0), 0, 10_000_000)).toBeNull();
  });
});
