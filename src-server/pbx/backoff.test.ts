import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff";

describe("reconnect backoff", () => {
  it("doubles from 250 ms and stops growing at 10 s", () => {
    expect([0, 1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt))).toEqual([250, 500, 1000, 2000, 4000, 8000]);
    expect(backoffDelay(6)).toBe(10_000);
    expect(backoffDelay(60)).toBe(10_000);
  });

  it("takes its own initial delay, factor and cap", () => {
    const options = { initialMs: 100, maxMs: 1000, factor: 3 };
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, options))).toEqual([100, 300, 900, 1000]);
  });
});
