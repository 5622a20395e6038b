import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CallerError } from "../errors";
import { bonusForPeriod, bonusPeriodAt, bonusPeriods } from "./monthly-bonus";
import { localDate } from "./zoned-calendar";

const utc = Date.UTC;
const day = 86_400_000;
const hour = 3_600_000;

describe("bonusPeriodAt", () => {
  it("uses UTC calendar months in UTC", () => {
    expect(bonusPeriodAt(utc(2026, 10, 15), "UTC")).toEqual({ period: "2026-11", startMs: utc(2026, 10, 1), endMs: utc(2026, 11, 1) });
  });

  it("starts a Tokyo month at local midnight, 15:00 UTC the day before", () => {
    const novemberStarts = utc(2026, 9, 31, 15);
    expect(bonusPeriodAt(novemberStarts - 1, "Asia/Tokyo").period).toBe("2026-10");
    expect(bonusPeriodAt(novemberStarts, "Asia/Tokyo")).toEqual({ period: "2026-11", startMs: novemberStarts, endMs: utc(2026, 10, 30, 15) });
    expect(bonusPeriodAt(novemberStarts, "UTC").period).toBe("2026-10");
  });

  it("follows New York's DST: November is 30 days and an hour, March 31 days less an hour", () => {
    const november = bonusPeriodAt(utc(2026, 10, 10), "America/New_York");
    expect(november).toEqual({ period: "2026-11", startMs: utc(2026, 10, 1, 4), endMs: utc(2026, 11, 1, 5) });
    expect(november.endMs - november.startMs).toBe(30 * day + hour);
    const march = bonusPeriodAt(utc(2027, 2, 20), "America/New_York");
    expect(march).toEqual({ period: "2027-03", startMs: utc(2027, 2, 1, 5), endMs: utc(2027, 3, 1, 4) });
  });

  it("follows Berlin's DST changes at both ends of summer time", () => {
    expect(bonusPeriodAt(utc(2027, 2, 10), "Europe/Berlin")).toEqual({ period: "2027-03", startMs: utc(2027, 1, 28, 23), endMs: utc(2027, 2, 31, 22) });
    expect(bonusPeriodAt(utc(2026, 9, 10), "Europe/Berlin")).toEqual({ period: "2026-10", startMs: utc(2026, 8, 30, 22), endMs: utc(2026, 9, 31, 23) });
  });

  it("keeps the leap day 2028-02-29 in February, in the zone's own calendar", () => {
    const february = bonusPeriodAt(utc(2028, 1, 29, 12), "UTC");
    expect(february).toEqual({ period: "2028-02", startMs: utc(2028, 1, 1), endMs: utc(2028, 2, 1) });
    expect(february.endMs - february.startMs).toBe(29 * day);
    expect(bonusPeriodAt(utc(2028, 1, 29, 14, 59, 59, 999), "Asia/Tokyo").period).toBe("2028-02");
    expect(bonusPeriodAt(utc(2028, 1, 29, 15), "Asia/Tokyo").period).toBe("2028-03");
  });

  it("refuses an unknown time zone with a CallerError", () => {
    expect(() => bonusPeriodAt(0, "Mars/Olympus_Mons")).toThrow(CallerError);
  });
});

describe("bonusPeriods", () => {
  it("lists each month of a 3-month gap once, oldest first", () => {
    const periods = bonusPeriods(utc(2026, 10, 15), utc(2027, 1, 10), "Asia/Tokyo");
    expect(periods.map((p) => p.period)).toEqual(["2026-11", "2026-12", "2027-01", "2027-02"]);
  });

  it("treats the range as half-open: a month starting exactly at toMs is not owed yet", () => {
    expect(bonusPeriods(utc(2026, 10, 15), utc(2027, 1, 1), "UTC").map((p) => p.period)).toEqual(["2026-11", "2026-12", "2027-01"]);
    expect(bonusPeriods(utc(2026, 10, 15), utc(2026, 10, 15), "UTC")).toEqual([]);
  });

  it("refuses a backwards range and one of more than a century", () => {
    expect(() => bonusPeriods(10, 5, "UTC")).toThrow(CallerError);
    expect(bonusPeriods(utc(2000, 0, 1), utc(2099, 11, 31), "UTC")).toHaveLength(1200);
    expect(() => bonusPeriods(0, utc(2200, 0, 1), "UTC")).toThrow(/at most a century/);
  });

  it("tiles the range with contiguous months that each start on a local 1st", () => {
    const zones = ["UTC", "Asia/Tokyo", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Pacific/Kiritimati", "America/Santiago", "Asia/Kathmandu"];
    const instant = fc.integer({ min: utc(2020, 0, 1), max: utc(2032, 0, 1) });
    fc.assert(
      fc.property(fc.constantFrom(...zones), instant, fc.integer({ min: 1, max: 400 * day }), (zone, from, length) => {
        const periods = bonusPeriods(from, from + length, zone);
        expect(periods[0]!.startMs).toBeLessThanOrEqual(from);
        expect(periods[0]!.endMs).toBeGreaterThan(from);
        expect(periods.at(-1)!.startMs).toBeLessThan(from + length);
        expect(periods.at(-1)!.endMs).toBeGreaterThanOrEqual(from + length);
        expect(new Set(periods.map((p) => p.period)).size).toBe(periods.length);
        periods.forEach((p, i) => {
          if (i > 0) expect(p.startMs).toBe(periods[i - 1]!.endMs);
          expect(localDate(p.startMs, zone).day).toBe(1);
          expect(localDate(p.startMs - 1, zone).day).not.toBe(1);
          expect(p.period).toBe(`${localDate(p.startMs, zone).year}-${String(localDate(p.startMs, zone).month).padStart(2, "0")}`);
        });
      }),
      { numRuns: 60 },
    );
  });
});

describe("bonusForPeriod", () => {
  it("grants $4.00 per Caller user", () => {
    expect(bonusForPeriod(0)).toBe(0);
    expect(bonusForPeriod(3)).toBe(12_000_000);
    expect(() => bonusForPeriod(-1)).toThrow(CallerError);
    expect(() => bonusForPeriod(1.5)).toThrow(CallerError);
  });
});
