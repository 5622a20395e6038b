import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

// Two scale topologies on one box (another engineer's, CI's) must not share what is not behind
// their own addresses: Asterisk instance names (runtime dirs under /run/caller) and RTP ports,
// which Asterisk binds on every address.

interface PlannedPbx {
  name: string;
  address: string;
  rtp: [number, number];
}

function plan(net: string, pbxs = 9): PlannedPbx[] {
  const out = execFileSync("bash", ["scripts/scale.sh", "plan"], {
    env: { ...process.env, CALLER_SCALE_NET: net, CALLER_SCALE_PBXS: String(pbxs), CALLER_SCALE_DIR: `/nonexistent/caller-scale-plan-${net}` },
    encoding: "utf8",
  });
  return out
    .trim()
    .split("\n")
    .map((line) => {
      const [name = "", address = "", range = ""] = line.split(" ");
      const [from = NaN, to = NaN] = range.split("-").map(Number);
      return { name, address, rtp: [from, to] };
    });
}

const overlaps = (a: [number, number], b: [number, number]) => a[0] <= b[1] && b[0] <= a[1];

// Each plan forks a few dozen small processes: seconds on a loaded machine.
describe("scale.sh: two topologies side by side", { timeout: 60_000 }, () => {
  it("the CI default keeps its addresses and RTP from 20000", () => {
    expect(plan("127.0.100", 2)).toEqual([
      { name: "scale-0-100-a", address: "127.0.100.31", rtp: [20000, 20499] },
      { name: "scale-0-100-b", address: "127.0.100.32", rtp: [20500, 20999] },
    ]);
  });

  it.each([
    ["127.0.100", "127.0.101"],
    ["127.0.101", "127.0.102"],
    ["127.0.100", "127.1.109"],
  ])("%s and %s: no instance name, address or RTP port in common, with 9 Asterisks each", (one, other) => {
    const [a, b] = [plan(one), plan(other)];
    expect(a).toHaveLength(9);
    for (const x of a) {
      expect(x.rtp[1] - x.rtp[0]).toBe(499);
      expect(x.rtp[1]).toBeLessThanOrEqual(65535);
      for (const y of b) {
        expect(y.name).not.toBe(x.name);
        expect(y.address).not.toBe(x.address);
        expect(overlaps(x.rtp, y.rtp), `${x.name} ${x.rtp.join("-")} / ${y.name} ${y.rtp.join("-")}`).toBe(false);
      }
    }
  });

  it("refuses a net outside 127.0.0.0/8", () => {
    expect(() => plan("10.0.0")).toThrow(/CALLER_SCALE_NET/);
  });
});
