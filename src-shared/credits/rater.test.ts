import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CallerError } from "../errors";
import { buildRater, packTariff, packedBuffers, packedRater } from "./rater";
import { isInForce, tariffKinds } from "./tariff";
import type { TariffRow } from "./tariff";

function row(prefix: string, ratePerMinuteMicros: number, effectiveFrom = 0, effectiveTo: number | null = null): TariffRow {
  return { prefix, destination: `d${prefix}`, kind: "other", ratePerMinuteMicros, connectionFeeMicros: 0, increments: { first: 60, next: 60 }, effectiveFrom, effectiveTo };
}

const now = Date.UTC(2026, 10, 15);

describe("buildRater", () => {
  const rater = buildRater([row("1", 10_000), row("1201", 20_000), row("120155", 30_000), row("81", 45_000), row("8190", 120_000)]);

  it("picks the longest of overlapping prefixes", () => {
    expect(rater.rate("+12125550100", now)?.prefix).toBe("1");
    expect(rater.rate("+12014440100", now)?.prefix).toBe("1201");
    expect(rater.rate("+12015510000", now)?.prefix).toBe("120155");
    expect(rater.rate("+819012345678", now)?.prefix).toBe("8190");
    expect(rater.rate("+81312345678", now)?.prefix).toBe("81");
  });

  it("rates a number shorter than a longer prefix by the shorter one, and the prefix itself", () => {
    expect(rater.rate("+120", now)?.prefix).toBe("1");
    expect(rater.rate("+120155", now)?.prefix).toBe("120155");
  });

  it("answers null for a destination without a row, and for anything that is not E.164", () => {
    expect(rater.rate("+4420794600", now)).toBeNull();
    for (const bad of ["", "+", "12015550100", "+0120155", "+1201a550100", "+1201555010x", "+1201 5550100", "+1234567890123456"]) {
      expect(rater.rate(bad, now), bad).toBeNull();
    }
  });

  it("rates calls before and after a mid-month rate change differently", () => {
    const change = Date.UTC(2026, 10, 16, 9);
    const r = buildRater([row("81", 45_000, 0, change), row("81", 42_000, change), row("1", 10_000)]);
    expect(r.rate("+81312345678", change - 1)?.ratePerMinuteMicros).toBe(45_000);
    expect(r.rate("+81312345678", change)?.ratePerMinuteMicros).toBe(42_000);
  });

  it("falls back to a shorter prefix when the longer one has no row in force yet or any more", () => {
    const start = Date.UTC(2026, 11, 1);
    const r = buildRater([row("1", 10_000), row("1201", 20_000, start), row("1202", 25_000, 0, start)]);
    expect(r.rate("+12015550100", start - 1)?.prefix).toBe("1");
    expect(r.rate("+12015550100", start)?.prefix).toBe("1201");
    expect(r.rate("+12025550100", start - 1)?.prefix).toBe("1202");
    expect(r.rate("+12025550100", start)?.prefix).toBe("1");
    expect(r.rate("+12015550100", Number.NaN)).toBeNull();
  });

  it("returns the caller's own row objects, extra fields included", () => {
    const mine = { ...row("44", 15_000), id: 7 };
    expect(buildRater([mine]).rate("+442079460000", now)).toBe(mine);
  });

  it("refuses a tariff with overlapping periods for one prefix or a malformed prefix", () => {
    expect(() => buildRater([row("81", 1, 0, 100), row("81", 2, 50)])).toThrow(CallerError);
    expect(() => buildRater([row("8a", 1)])).toThrow(/not 1–15 digits/);
  });

  it("agrees with a plain scan of every row", () => {
    const prefix = fc.stringMatching(/^[1-9][0-9]{0,4}$/);
    const version = fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.option(fc.integer({ min: 1, max: 500 })));
    const tariff = fc.uniqueArray(fc.tuple(prefix, version), { selector: ([p]) => p, maxLength: 40 }).map((entries) =>
      entries.map(([p, [from, length]], i) => row(p, i, from, length === null ? null : from + length)),
    );
    const number = fc.stringMatching(/^\+[1-9][0-9]{1,11}$/);
    fc.assert(
      fc.property(tariff, fc.array(fc.tuple(number, fc.integer({ min: 0, max: 1600 })), { maxLength: 30 }), (rows, calls) => {
        const r = buildRater(rows);
        for (const [e164, at] of calls) {
          const matching = rows.filter((x) => e164.slice(1).startsWith(x.prefix) && isInForce(x, at));
          const expected = matching.sort((a, b) => b.prefix.length - a.prefix.length)[0] ?? null;
          expect(r.rate(e164, at)).toBe(expected);
        }
      }),
    );
  });

  it("stays compact: one node per distinct digit path", () => {
    const r = buildRater([row("1", 1), row("12", 2), row("13", 3), row("8190", 4)]);
    expect(r.nodeCount).toBe(1 + 3 + 4);
    expect(r.prefixCount).toBe(4);
  });
});

describe("packedRater", () => {
  it("rates every number as buildRater does, the row made again from the columns, through a copy of its buffers", () => {
    const prefix = fc.stringMatching(/^[1-9][0-9]{0,4}$/);
    const periods = fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.option(fc.integer({ min: 1, max: 500 }))), { minLength: 1, maxLength: 2 });
    const entry = fc.record({
      prefix,
      periods,
      destination: fc.string({ unit: fc.constantFrom("a", "日", "本", ",", " ", "é", "😀"), maxLength: 12 }),
      kind: fc.constantFrom(...tariffKinds),
      rate: fc.integer({ min: 0, max: 99_000_000 }),
      fee: fc.integer({ min: 0, max: 9_000_000 }),
      first: fc.constantFrom(1, 6, 30, 60),
    });
    const tariff = fc.uniqueArray(entry, { selector: (e) => e.prefix, maxLength: 40 }).map((entries) =>
      entries.flatMap((e) => {
        // Two periods of one prefix, one after the other: never overlapping.
        const [[from, length], second] = e.periods as [[number, number | null], ...[number, number | null][]];
        const end = length === null ? null : from + length;
        const rows: TariffRow[] = [{ prefix: e.prefix, destination: e.destination, kind: e.kind, ratePerMinuteMicros: e.rate, connectionFeeMicros: e.fee, increments: { first: e.first, next: 6 }, effectiveFrom: from, effectiveTo: end }];
        if (second !== undefined && end !== null) rows.push({ ...rows[0]!, ratePerMinuteMicros: e.rate + 1, effectiveFrom: end + second[0], effectiveTo: null });
        return rows;
      }),
    );
    const number = fc.stringMatching(/^\+[1-9][0-9]{1,11}$/);
    fc.assert(
      fc.property(tariff, fc.array(fc.tuple(number, fc.integer({ min: 0, max: 3000 })), { maxLength: 30 }), (rows, calls) => {
        const plain = buildRater(rows);
        // As it arrives from the import thread: the same arrays, copied (structured clone).
        const packed = packedRater(structuredClone(packTariff(rows)));
        for (const [e164, at] of calls) expect(packed.rate(e164, at)).toEqual(plain.rate(e164, at));
        expect(packed.rows).toEqual(plain.rows);
        expect(packed.prefixCount).toBe(plain.prefixCount);
      }),
    );
  });

  it("holds a tariff in typed arrays only", () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => row(String(1_000_000 + i), i));
    const packed = packTariff(rows);
    const buffers = packedBuffers(packed);
    expect(buffers.every((buffer) => buffer instanceof ArrayBuffer)).toBe(true);
    expect(packedRater(packed).rate("+1000042999", now)).toEqual(rows[42]);
  });
});
