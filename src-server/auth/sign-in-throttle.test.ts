import { describe, expect, it } from "vitest";
import { addressKey, lockSchedule, signInPolicy } from "./sign-in-throttle";

describe("the sign-in throttle's policy", () => {
  it("lets 5 attempts on an account through, then locks for 30 s doubling to 15 minutes", () => {
    const at = 1_000_000;
    expect(lockSchedule(signInPolicy.account, at).map((until) => (until === 0 ? 0 : (until - at) / 1000))).toEqual([0, 0, 0, 0, 30, 60, 120, 240, 480, 900]);
  });

  it("gives an address 20 before the first lock", () => {
    const schedule = lockSchedule(signInPolicy.address, 0);
    expect(schedule.findIndex((until) => until > 0)).toBe(19);
  });

  it.each([
    ["192.0.2.1", "192.0.2.1"],
    ["::ffff:192.0.2.1", "192.0.2.1"],
    ["2001:db8:1:2::1", "2001:db8:1:2::/64"],
    ["2001:0db8:0001:0002:ffff:0:0:9", "2001:db8:1:2::/64"],
    ["2001:db8::", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
  ])("keys %s as %s (an IPv6 subscriber's whole /64 is one address)", (ip, key) => {
    expect(addressKey(ip)).toBe(key);
  });
});
