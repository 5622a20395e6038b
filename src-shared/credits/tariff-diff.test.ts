import { describe, expect, it } from "vitest";
import type { TariffRow } from "./tariff";
import { parseTariffCsv } from "./tariff-csv";
import { tariffCsv } from "./tariff-csv-write";
import { diffTariff } from "./tariff-diff";

const header = "prefix,destination,kind,rate_per_minute_usd,connection_fee_usd,increments,effective_from,effective_to";
const rows = (...lines: string[]): TariffRow[] => {
  const parsed = parseTariffCsv([header, ...lines].join("\n"));
  expect(parsed.rejected).toEqual([]);
  return parsed.rows;
};

describe("what a new tariff file changes", () => {
  it("lists rates added, changed and removed, and counts the rest as unchanged", () => {
    const current = rows("1,US,other,0.01,0,60/60,2026-01-01,", "81,Japan,fixed,0.05,0,30/6,2026-01-01,", "44,UK,fixed,0.012,0,1/1,2026-01-01,");
    const next = rows("1,US,other,0,0,60/60,2026-01-01,", "81,Japan,fixed,0.05,0,30/6,2026-01-01,", "8190,Japan mobile,mobile,0.12,0,30/6,2026-01-01,");
    const diff = diffTariff(current, next);
    expect(diff.added.map((r) => r.prefix)).toEqual(["8190"]);
    expect(diff.changed.map((c) => [c.before.ratePerMinuteMicros, c.after.ratePerMinuteMicros])).toEqual([[10_000, 0]]);
    expect(diff.removed.map((r) => r.prefix)).toEqual(["44"]);
    expect(diff.unchanged).toBe(1);
  });

  it("treats a new period for a prefix as an added row, and a changed end as a change", () => {
    const current = rows("81,Japan,fixed,0.05,0,30/6,2026-01-01,");
    const next = rows("81,Japan,fixed,0.05,0,30/6,2026-01-01,2026-12-01", "81,Japan,fixed,0.04,0,30/6,2026-12-01,");
    const diff = diffTariff(current, next);
    expect(diff.changed).toHaveLength(1);
    expect(diff.changed[0]?.after.effectiveTo).toBe(Date.UTC(2026, 11, 1));
    expect(diff.added.map((r) => r.ratePerMinuteMicros)).toEqual([40_000]);
    expect(diff.removed).toEqual([]);
  });
});

describe("writing a tariff back as CSV", () => {
  it("reads back as the same rows: an export can be edited and imported", () => {
    const original = rows(
      '44,"United Kingdom, fixed",fixed,0.0150,,60/60,2026-01-01T09:30:00Z,',
      "8190,Japan,mobile,0.123456,0.01,1/1,2026-01-01,2026-12-01",
      '1,"Say ""hi""",other,12,0,6/6,2026-01-01,',
    );
    const written = tariffCsv(original);
    expect(written.split("\r\n")[1]).toBe('44,"United Kingdom, fixed",fixed,0.015,0,60/60,2026-01-01T09:30:00Z,');
    expect(parseTariffCsv(written)).toEqual({ rows: original, rejected: [] });
  });

  it("never writes a destination a spreadsheet would run as a formula", () => {
    const written = tariffCsv(rows('1,"=HYPERLINK(""http://evil"")",other,0.01,0,60/60,2026-01-01,'));
    expect(written).toContain(`"'=HYPERLINK(""http://evil"")"`);
  });
});
