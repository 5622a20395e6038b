import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { splitCsvLine } from "./csv-line";

describe("splitCsvLine", () => {
  it("splits plain fields and trims them", () => {
    expect(splitCsvLine("81, Japan ,fixed")).toEqual({ ok: true, fields: ["81", "Japan", "fixed"] });
  });

  it("keeps commas and doubled quotes inside quoted fields", () => {
    expect(splitCsvLine('44,"United Kingdom, mobile","say ""hi""",x')).toEqual({
      ok: true,
      fields: ["44", "United Kingdom, mobile", 'say "hi"', "x"],
    });
  });

  it("counts empty fields, quoted or not, including a trailing one", () => {
    expect(splitCsvLine('a,,"",')).toEqual({ ok: true, fields: ["a", "", "", ""] });
    expect(splitCsvLine('"",b')).toEqual({ ok: true, fields: ["", "b"] });
  });

  it("allows spaces around a quoted field", () => {
    expect(splitCsvLine('1 , "x" ,2')).toEqual({ ok: true, fields: ["1", "x", "2"] });
  });

  it("refuses an unclosed quote, text after a closing quote and a bare quote", () => {
    expect(splitCsvLine('1,"Japan').ok).toBe(false);
    expect(splitCsvLine('1,"Japan"x,2').ok).toBe(false);
    expect(splitCsvLine('1,Ja"pan,2').ok).toBe(false);
  });

  it("reads back any fields written with RFC 4180 quoting", () => {
    const field = fc.string({ unit: fc.constantFrom("a", "b", ",", '"', " ", "1") });
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 6 }), (fields) => {
        const line = fields.map((f) => `"${f.replaceAll('"', '""')}"`).join(",");
        expect(splitCsvLine(line)).toEqual({ ok: true, fields });
      }),
    );
  });
});
