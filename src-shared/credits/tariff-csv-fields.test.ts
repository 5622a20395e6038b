import { describe, expect, it } from "vitest";
import { readFee, readIncrements, readPrefix, readUtcDate } from "./tariff-csv-fields";

describe("tariff CSV fields", () => {
  it("read dates as UTC, with or without a Z time", () => {
    expect(readUtcDate("2028-02-29", "effective_from")).toEqual({ ok: true, value: Date.UTC(2028, 1, 29) });
    expect(readUtcDate("2026-12-01T09:30Z", "effective_from")).toEqual({ ok: true, value: Date.UTC(2026, 11, 1, 9, 30) });
    expect(readUtcDate("2026-12-01 09:30:15Z", "effective_from")).toEqual({ ok: true, value: Date.UTC(2026, 11, 1, 9, 30, 15) });
  });

  it("refuse impossible dates, local times and years before 1970", () => {
    for (const text of ["2027-02-29", "2026-13-01", "2026-12-01T24:00Z", "2026-12-01T09:60Z", "2026-12-01T09:30", "0099-01-01", "1.12.2026", ""]) {
      expect(readUtcDate(text, "effective_from"), text).toMatchObject({ ok: false, code: "bad_date" });
    }
  });

  it("drop a leading + from a prefix and refuse anything but 1–15 digits", () => {
    expect(readPrefix("+81")).toEqual({ ok: true, value: "81" });
    for (const text of ["", "+", "0", "++81", "81-3", "1234567890123456"]) expect(readPrefix(text).ok, text).toBe(false);
  });

  it("read increments with spaces around the slash, only from the known lengths", () => {
    expect(readIncrements("30 / 6")).toEqual({ ok: true, value: { first: 30, next: 6 } });
    for (const text of ["60", "60/", "0/60", "7/7", "60/60/60", "sixty/60"]) expect(readIncrements(text), text).toMatchObject({ ok: false, code: "unknown_increment" });
  });

  it("take an empty connection fee as zero", () => {
    expect(readFee("")).toEqual({ ok: true, value: 0 });
  });
});
