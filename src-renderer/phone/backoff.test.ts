import { describe, expect, it } from "vitest";
import { reconnectDelay } from "./backoff";

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
