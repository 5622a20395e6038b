import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CallerError } from "../errors";
import { assertMicros, assertNonNegativeMicros, assertWholeSeconds, parseDollars } from "./micros";

describe("parseDollars", () => {
  it("reads decimal dollars as exact micro-dollars", () => {
    expect(parseDollars("0.0125")).toEqual({ ok: true, micros: 12_500 });
    expect(parseDollars("12")).toEqual({ ok: true, micros: 12_000_000 });
    expect(parseDollars("0.000001")).toEqual({ ok: true, micros: 1 });
    expect(parseDollars("0.1")).toEqual({ ok: true, micros: 100_000 });
    expect(parseDollars("-0")).toEqual({ ok: true, micros: 0 });
  });

  it("refuses negative amounts by name", () => {
    expect(parseDollars("-0.01")).toEqual({ ok: false, problem: "negative" });
  });

  it("refuses what is not a plain decimal, including amounts finer than a micro-dollar", () => {
    for (const text of ["", "abc", "1e3", "0.0000001", "1,5", " 1", "$1", ".5", "1.", "0x10", "1234567890"]) {
      expect(parseDollars(text), text).toEqual({ ok: false, problem: "not_a_number" });
    }
  });

  it("gives back the same micros it was written from", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999_999_999 }), (micros) => {
        const text = `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, "0")}`;
        expect(parseDollars(text)).toEqual({ ok: true, micros });
      }),
    );
  });
});

describe("amount guards", () => {
  it("refuse fractions, NaN and unsafe integers as money", () => {
    for (const bad of [0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect(() => assertMicros(bad, "balance")).toThrow(CallerError);
    }
    expect(assertMicros(-5, "adjustment")).toBe(-5);
  });

  it("refuse negative amounts and seconds where only zero or more make sense", () => {
    expect(() => assertNonNegativeMicros(-1, "charge")).toThrow(/charge must not be negative/);
    expect(() => assertWholeSeconds(-1, "billed seconds")).toThrow(CallerError);
    expect(() => assertWholeSeconds(1.5, "billed seconds")).toThrow(CallerError);
    expect(assertWholeSeconds(0, "billed seconds")).toBe(0);
  });
});
