import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseTariffCsv, tariffCsvColumns } from "./tariff-csv";
import { TariffRow, periodsOverlap } from "./tariff";

const header = tariffCsvColumns.join(",");
const csv = (...lines: string[]) => [header, ...lines].join("\n");
const jan2026 = Date.UTC(2026, 0, 1);
const dec2026 = Date.UTC(2026, 11, 1);

describe("parseTariffCsv", () => {
  it("reads the documented example into exact micro-dollar rows", () => {
    const { rows, rejected } = parseTariffCsv(
      csv(
        "81,Japan,fixed,0.0450,0,30/6,2026-01-01,2026-12-01",
        "81,Japan,fixed,0.0420,0,30/6,2026-12-01,",
        "+8190,Japan,Mobile,0.12,0.01,1/1,2026-01-01T00:00:00Z,",
        '44,"United Kingdom, fixed",fixed,0.0150,,60/60,2026-01-01,',
      ),
    );
    expect(rejected).toEqual([]);
    expect(rows).toEqual([
      { prefix: "81", destination: "Japan", kind: "fixed", ratePerMinuteMicros: 45_000, connectionFeeMicros: 0, increments: { first: 30, next: 6 }, effectiveFrom: jan2026, effectiveTo: dec2026 },
      { prefix: "81", destination: "Japan", kind: "fixed", ratePerMinuteMicros: 42_000, connectionFeeMicros: 0, increments: { first: 30, next: 6 }, effectiveFrom: dec2026, effectiveTo: null },
      { prefix: "8190", destination: "Japan", kind: "mobile", ratePerMinuteMicros: 120_000, connectionFeeMicros: 10_000, increments: { first: 1, next: 1 }, effectiveFrom: jan2026, effectiveTo: null },
      { prefix: "44", destination: "United Kingdom, fixed", kind: "fixed", ratePerMinuteMicros: 15_000, connectionFeeMicros: 0, increments: { first: 60, next: 60 }, effectiveFrom: jan2026, effectiveTo: null },
    ]);
    for (const row of rows) expect(TariffRow.safeParse(row).success).toBe(true);
  });

  it("reports every bad row with its line and a reason, and keeps the good ones", () => {
    const { rows, rejected } = parseTariffCsv(
      csv(
        "0044,UK,fixed,0.01,0,60/60,2026-01-01,", // 2
        "44a,UK,fixed,0.01,0,60/60,2026-01-01,", // 3
        "44,UK,fixed,-0.01,0,60/60,2026-01-01,", // 4
        "44,UK,fixed,0.01,0,60/0,2026-01-01,", // 5
        "44,UK,fixed,0.01,0,600/60,2026-01-01,", // 6
        "44,UK,fixed,0.01,0,60/60,2026-01-01", // 7
        '44,"UK,fixed,0.01,0,60/60,2026-01-01,', // 8
        "44,UK,landline,0.01,0,60/60,2026-01-01,", // 9
        "44,UK,fixed,0.01,0,60/60,2026-02-30,", // 10
        "44,UK,fixed,0.01,0,60/60,2026-03-01,2026-02-01", // 11
        "44,,fixed,0.01,0,60/60,2026-01-01,", // 12
        "44,UK,fixed,0.0000001,0,60/60,2026-01-01,", // 13
        "44,UK,fixed,1001,0,60/60,2026-01-01,", // 14
        "44,UK,fixed,0.01,-1,60/60,2026-01-01,", // 15
        "44,UK,fixed,0.01,0,60/60,2026-01-01T10:00:00+09:00,", // 16
        "49,Germany,fixed,0.02,0,60/60,2026-01-01,", // 17, good
      ),
    );
    expect(rows.map((r) => r.prefix)).toEqual(["49"]);
    expect(rejected.map((r) => [r.line, r.code])).toEqual([
      [2, "bad_prefix"],
      [3, "bad_prefix"],
      [4, "negative_amount"],
      [5, "unknown_increment"],
      [6, "unknown_increment"],
      [7, "wrong_column_count"],
      [8, "bad_quoting"],
      [9, "bad_kind"],
      [10, "bad_date"],
      [11, "bad_period"],
      [12, "bad_destination"],
      [13, "bad_amount"],
      [14, "bad_amount"],
      [15, "negative_amount"],
      [16, "bad_date"],
    ]);
    expect(rejected[0]!.reason).toMatch(/bad prefix "0044"/);
    expect(rejected[2]!.reason).toMatch(/negative rate_per_minute_usd/);
    expect(rejected[5]!.reason).toBe("7 columns, expected 8");
    expect(rejected[13]!.reason).toMatch(/negative connection_fee_usd/);
  });

  it("refuses a later duplicate or overlapping period for the same prefix, naming the earlier line", () => {
    const { rows, rejected } = parseTariffCsv(
      csv(
        "81,Japan,fixed,0.045,0,30/6,2026-01-01,2026-12-01", // 2
        "81,Japan,fixed,0.042,0,30/6,2026-12-01,", // 3: touches, fine
        "81,Japan,fixed,0.050,0,30/6,2026-01-01,2026-12-01", // 4: duplicate of 2
        "81,Japan,fixed,0.040,0,30/6,2026-11-15,2026-12-15", // 5: overlaps 2 (and 3)
        "81,Japan,fixed,0.040,0,30/6,2027-01-01,", // 6: overlaps 3 (open end)
        "8190,Japan mobile,mobile,0.12,0,1/1,2026-01-01,", // 7: other prefix, fine
        "81,Japan,fixed,0.040,0,30/6,2025-01-01,2026-01-01", // 8: before 2, fine
      ),
    );
    expect(rows.map((r) => r.ratePerMinuteMicros)).toEqual([45_000, 42_000, 120_000, 40_000]);
    expect(rejected).toEqual([
      { line: 4, code: "duplicate", reason: "duplicate of line 2: prefix 81 with the same effective period" },
      { line: 5, code: "overlapping_period", reason: "effective period overlaps line 2 for prefix 81" },
      { line: 6, code: "overlapping_period", reason: "effective period overlaps line 3 for prefix 81" },
    ]);
  });

  it("keeps only rows whose periods never meet, and refuses a clash only when it meets a kept row", () => {
    const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10);
    const entry = fc.tuple(fc.constantFrom("1", "81", "8190"), fc.integer({ min: 0, max: 60 }), fc.option(fc.integer({ min: 1, max: 20 })));
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 25 }), (entries) => {
        const lines = entries.map(([prefix, from, length]) => `${prefix},X,fixed,0.01,0,60/60,${day(from)},${length === null ? "" : day(from + length)}`);
        const { rows, rejected } = parseTariffCsv(csv(...lines));
        rows.forEach((a, i) => rows.slice(i + 1).forEach((b) => expect(a.prefix === b.prefix && periodsOverlap(a, b)).toBe(false)));
        for (const { line, code } of rejected) {
          expect(["duplicate", "overlapping_period"]).toContain(code);
          const [prefix, from, length] = entries[line - 2]!;
          const period = { effectiveFrom: Date.UTC(2026, 0, 1 + from), effectiveTo: length === null ? null : Date.UTC(2026, 0, 1 + from + length) };
          expect(rows.some((r) => r.prefix === prefix && periodsOverlap(r, period))).toBe(true);
        }
      }),
    );
  });

  it("takes the columns in any order, ignores blank lines, CRLF and a byte-order mark", () => {
    const text = "\uFEFFKind,Prefix,destination,increments,rate_per_minute_usd,connection_fee_usd,effective_to,effective_from\r\n\r\nmobile,8190,Japan,1/1,0.12,0,,2026-01-01\r\n";
    const { rows, rejected } = parseTariffCsv(text);
    expect(rejected).toEqual([]);
    expect(rows).toEqual([
      { prefix: "8190", destination: "Japan", kind: "mobile", ratePerMinuteMicros: 120_000, connectionFeeMicros: 0, increments: { first: 1, next: 1 }, effectiveFrom: jan2026, effectiveTo: null },
    ]);
  });

  it("rejects the whole file when the header is missing or wrong", () => {
    expect(parseTariffCsv("")).toEqual({ rows: [], rejected: [{ line: 1, code: "bad_header", reason: "the file is empty: it needs a header line" }] });
    const noHeader = parseTariffCsv("81,Japan,fixed,0.045,0,30/6,2026-01-01,\n");
    expect(noHeader.rows).toEqual([]);
    expect(noHeader.rejected).toHaveLength(1);
    expect(noHeader.rejected[0]!.code).toBe("bad_header");
    expect(noHeader.rejected[0]!.reason).toMatch(/missing prefix, destination/);
    expect(parseTariffCsv(`${header},rate_per_minute_usd\n`).rejected[0]!.reason).toMatch(/repeated rate_per_minute_usd/);
    expect(parseTariffCsv(`\n\n${header.replace("kind", "type")}\n`).rejected[0]).toMatchObject({ line: 3, code: "bad_header" });
  });

  it("never throws, whatever the text, and every line is either a row or a rejection", () => {
    const cell = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("81", "0.01", "60/60", "2026-01-01", "fixed", '"', '"a,b"'));
    const line = fc.array(cell, { minLength: 0, maxLength: 10 }).map((cells) => cells.join(","));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        const text = csv(...lines);
        const { rows, rejected } = parseTariffCsv(text);
        const nonBlank = text.split(/\r\n|\n|\r/).slice(1).filter((l) => l.trim() !== "").length;
        expect(rows.length + rejected.length).toBe(nonBlank);
        for (const row of rows) expect(TariffRow.safeParse(row).success).toBe(true);
      }),
    );
  });

  // A loose bound that catches quadratic work under a loaded CI machine; bench/rating-bench.ts measures the real speed.
  it("reads 50,000 rows in a few seconds at most", () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => `${100_000 + i},Somewhere,${i % 2 ? "mobile" : "fixed"},0.0${i % 90 + 10},0,60/60,2026-01-01,`);
    const started = performance.now();
    const { rows, rejected } = parseTariffCsv(csv(...lines));
    const elapsedMs = performance.now() - started;
    expect(rejected).toEqual([]);
    expect(rows).toHaveLength(50_000);
    expect(elapsedMs).toBeLessThan(3000);
  });
});
