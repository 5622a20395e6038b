import { describe, expect, it } from "vitest";
import { dayEnd, dayStart, lastMonth, thisMonth, toDateInput } from "./period";

describe("dates picked in the company's time zone", () => {
  it("start at local midnight and end at the next one (Tokyo)", () => {
    expect(dayStart("2026-11-01", "Asia/Tokyo")).toBe(Date.UTC(2026, 9, 31, 15));
    expect(dayEnd("2026-11-30", "Asia/Tokyo")).toBe(Date.UTC(2026, 10, 30, 15));
  });

  it("cross a month end and a leap day", () => {
    expect(dayEnd("2028-02-28", "UTC")).toBe(Date.UTC(2028, 1, 29));
    expect(dayEnd("2028-02-29", "UTC")).toBe(Date.UTC(2028, 2, 1));
  });

  it("ignore an empty or malformed input", () => {
    expect(dayStart("", "UTC")).toBeNull();
    expect(dayEnd("11/01/2026", "UTC")).toBeNull();
  });

  it("show this month so far as the usage panel's first period", () => {
    const now = Date.UTC(2026, 10, 30, 16); // already Dec 1 in Tokyo
    expect(thisMonth(now, "Asia/Tokyo")).toEqual({ from: "2026-12-01", to: "2026-12-01" });
    expect(toDateInput(now, "UTC")).toBe("2026-11-30");
  });

  it("show last month whole, in the company's zone, across a year end and a leap February", () => {
    expect(lastMonth(Date.UTC(2026, 11, 6, 12), "UTC")).toEqual({ from: "2026-11-01", to: "2026-11-30" });
    expect(lastMonth(Date.UTC(2026, 11, 31, 16), "Asia/Tokyo")).toEqual({ from: "2026-12-01", to: "2026-12-31" });
    expect(lastMonth(Date.UTC(2027, 0, 15), "UTC")).toEqual({ from: "2026-12-01", to: "2026-12-31" });
    expect(lastMonth(Date.UTC(2028, 2, 10), "UTC")).toEqual({ from: "2028-02-01", to: "2028-02-29" });
  });
});
