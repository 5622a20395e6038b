import { describe, expect, it } from "vitest";
import { phoneRecoveryCapMs, reconnectDelay } from "./backoff";

describe("reconnectDelay", () => {
  it("doubles from half a second and stops growing at 30 s", () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4].map((n) => reconnectDelay(n, middle))).toEqual([500, 1000, 2000, 4000]);
    expect(reconnectDelay(20, middle)).toBe(30_000);
  });

  it("spreads clients by ±20 % but never past the cap", () => {
    expect(reconnectDelay(1, () => 0)).toBe(400);
    expect(reconnectDelay(1, () => 1)).toBe(600);
    expect(reconnectDelay(30, () => 1)).toBe(30_000);
  });
});

describe("phoneRecoveryCapMs", () => {
  it("never makes the phone wait more than 3 s for its next try, however long the outage", () => {
    for (const attempt of [1, 5, 50, 5000]) for (const r of [0, 0.5, 1]) expect(reconnectDelay(attempt, () => r, 500, phoneRecoveryCapMs)).toBeLessThanOrEqual(3_000);
  });
});
