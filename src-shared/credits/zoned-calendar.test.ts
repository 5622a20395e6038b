import { describe, expect, it } from "vitest";
import { localDate, startOfLocalDay } from "./zoned-calendar";

describe("zoned calendar", () => {
  it("reads the local date of an instant", () => {
    expect(localDate(Date.UTC(2026, 9, 31, 15), "Asia/Tokyo")).toEqual({ year: 2026, month: 11, day: 1 });
    expect(localDate(Date.UTC(2026, 9, 31, 15), "America/Los_Angeles")).toEqual({ year: 2026, month: 10, day: 31 });
  });

  it("finds local midnight to the millisecond", () => {
    expect(startOfLocalDay(2026, 11, 1, "Asia/Kolkata")).toBe(Date.UTC(2026, 9, 31, 18, 30));
    expect(startOfLocalDay(2026, 11, 1, "Pacific/Kiritimati")).toBe(Date.UTC(2026, 9, 31, 10));
    expect(startOfLocalDay(2026, 11, 1, "Etc/GMT+12")).toBe(Date.UTC(2026, 10, 1, 12));
  });

  it("starts a day whose midnight DST skips at the first instant that exists (Santiago, 01:00)", () => {
    expect(startOfLocalDay(2026, 9, 6, "America/Santiago")).toBe(Date.UTC(2026, 8, 6, 4));
  });
});
