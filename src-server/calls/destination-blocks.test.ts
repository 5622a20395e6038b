import { describe, expect, it } from "vitest";
import { DestinationBlocks } from "./destination-blocks";
import { defaultBlockedRanges } from "./irsf-ranges";

const blocks = () => new DestinationBlocks(defaultBlockedRanges.map((r) => r.prefix));

describe("blocked destination ranges", () => {
  it("blocks UK personal numbers, the satellite codes and the carrier list's countries by default, and nothing else", () => {
    const b = blocks();
    for (const to of ["+447012345678", "+870772123456", "+881612345678", "+882345678901", "+883510012345", "+5351234567", "+37121234567", "+252612345678"]) {
      expect(b.isBlocked(1, to), to).toBe(true);
    }
    for (const to of ["+447911123456", "+12015550123", "+81312345678", "+4412345678"]) expect(b.isBlocked(1, to), to).toBe(false);
  });

  it("lets an operator unblock a default range for the whole service or for one company only", () => {
    const b = blocks();
    b.replaceRules([{ prefix: "+53", companyId: null, action: "allow" }, { prefix: "+4470", companyId: 7, action: "allow" }]);
    expect(b.isBlocked(1, "+5351234567")).toBe(false);
    expect(b.isBlocked(7, "+447012345678")).toBe(false);
    expect(b.isBlocked(8, "+447012345678")).toBe(true);
  });

  it("decides by the longest prefix, a company's rule before the service's at the same prefix", () => {
    const b = blocks();
    b.replaceRules([
      { prefix: "+8816", companyId: 7, action: "allow" },
      { prefix: "+44", companyId: null, action: "block" },
      { prefix: "+4479", companyId: null, action: "allow" },
      { prefix: "+44", companyId: 9, action: "allow" },
    ]);
    expect(b.isBlocked(7, "+881612345678")).toBe(false);
    expect(b.isBlocked(7, "+881512345678")).toBe(true);
    expect(b.isBlocked(1, "+442012345678")).toBe(true);
    expect(b.isBlocked(1, "+447911123456")).toBe(false);
    expect(b.isBlocked(9, "+442012345678")).toBe(false);
    // The default +4470 block is longer than company 9's +44 allow.
    expect(b.isBlocked(9, "+447012345678")).toBe(true);
  });

  it("forgets removed rules when the rules are replaced", () => {
    const b = blocks();
    b.replaceRules([{ prefix: "+81", companyId: null, action: "block" }]);
    expect(b.isBlocked(1, "+81312345678")).toBe(true);
    b.replaceRules([]);
    expect(b.isBlocked(1, "+81312345678")).toBe(false);
  });
});
