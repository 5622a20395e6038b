import { describe, expect, it } from "vitest";
import { phoneRecoveryCapMs, reconnectDelay, registerRetryDelay } from "./backoff";

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

describe("registerRetryDelay", () => {
  it("draws from a window that doubles from 1 s with each refusal, up to 10 s", () => {
    expect([1, 2, 3, 4, 5, 9].map((n) => registerRetryDelay(n, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
    expect([1, 2, 3, 4, 5, 9].map((n) => registerRetryDelay(n, () => 0))).toEqual([500, 1_000, 2_000, 4_000, 5_000, 5_000]);
  });

  it("spreads phones turned away together over the window's second half", () => {
    const delays = Array.from({ length: 200 }, (_, i) => registerRetryDelay(3, () => i / 199));
    expect(Math.min(...delays)).toBe(2_000);
    expect(Math.max(...delays)).toBe(4_000);
    expect(new Set(delays).size).toBeGreaterThan(150);
  });

  it("waits at least as long as the PBX's Retry-After", () => {
    expect(registerRetryDelay(1, () => 0, 7_000)).toBe(7_000);
    expect(registerRetryDelay(4, () => 1, 3_000)).toBe(8_000);
  });
});
