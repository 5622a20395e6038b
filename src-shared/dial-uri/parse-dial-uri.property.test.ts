import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDialUri } from "./parse-dial-uri";
import { dialUriProblems, type DialUri } from "./problems";

/** Pieces that make links hit every branch: digits in both widths, separators, escapes, parameters, hostile characters. */
const benign = fc.constantFrom(..."0123456789+-.() ", "０", "３", "＋", "－", "\u00a0", "\u3000", "%2B", "%20", "%EF%BC%90");
const odd = fc.constantFrom(";", "=", ",", "*", "#", "p", "w", "/", "?", "@", "%", "%3B", "%25", "%FF", "a", "Z", "電",
  "phone-context=", "+81", "+1-201", "example.com", "ext=", "postd=", "isub=", "npdi");
const hostile = fc.constantFrom("\n", "\r", "\u0000", "\u2028", "\u202e", "\u200b", "%0A", "%00", "%E2%80%A8");
const piece = fc.oneof({ arbitrary: benign, weight: 12 }, { arbitrary: odd, weight: 3 }, { arbitrary: hostile, weight: 1 });
const scheme = fc.constantFrom("tel:", "TEL:", "callto:", "callto://", "javascript:", "sip:", "");
const linkLike = fc.tuple(scheme, fc.array(piece, { maxLength: 30 })).map(([s, parts]) => s + parts.join(""));
const anyText = fc.oneof(linkLike, fc.string({ unit: "binary", maxLength: 80 }), fc.string({ unit: "grapheme", maxLength: 80 }));
const country = fc.constantFrom("JP", "US", "GB", "DE");

/** Real numbers, spelled the many ways links carry them: widths, escapes, separators, schemes, contexts. */
const knownNumbers = [
  { country: "JP", trunk: "0", callingCode: "81", significant: "312345678" },
  { country: "JP", trunk: "0", callingCode: "81", significant: "9012345678" },
  { country: "US", trunk: "", callingCode: "1", significant: "2015550123" },
  { country: "GB", trunk: "0", callingCode: "44", significant: "2079460958" },
] as const;
const spellDigit = (d: string): fc.Arbitrary<string> =>
  fc.constantFrom(d, String.fromCharCode(0xff10 + Number(d)), `%3${d}`, `%EF%BC%9${d}`);
const separator = fc.constantFrom("", "", "", "-", ".", " ", "\u00a0", "\u3000", "－", "%20", "%2D");
const spellDigits = (digits: string): fc.Arbitrary<string> =>
  fc.tuple(...[...digits].map((d) => fc.tuple(spellDigit(d), separator).map(([a, b]) => a + b))).map((parts) => parts.join(""));
const plus = fc.constantFrom("+", "＋", "%2B", "%EF%BC%8B");
const spelledNumber = fc.constantFrom(...knownNumbers).chain((n) =>
  fc.record({
    e164: fc.constant(`+${n.callingCode}${n.significant}`),
    country: fc.constantFrom(n.country, "JP", "US", "DE"),
    scheme: fc.constantFrom("tel:", "TEL:", "callto:", "callto://", "Callto:"),
    form: fc.constantFrom("international", "national", "context"),
    plus,
    callingCode: spellDigits(n.callingCode),
    national: spellDigits(n.trunk + n.significant),
    significant: spellDigits(n.significant),
  }).map((s) => {
    const link = {
      international: `${s.scheme}${s.plus}${s.callingCode}${s.significant}`,
      national: `${s.scheme}${s.national}`,
      context: `${s.scheme}${s.national};phone-context=${s.plus}${n.callingCode}`,
    }[s.form];
    return { link, e164: s.e164, country: s.form === "national" ? n.country : s.country };
  }),
);

const controls = ["\n", "\r", "\t", "\u0000", "\u007f", "\u0085", "\u2028", "\u2029", "\u202e", "\ufeff"];

function expectWellFormed(result: DialUri): void {
  if (result.ok) {
    expect(result.e164).toMatch(/^\+[0-9]+$/);
    expect(result.extension === null || /^[0-9]+$/.test(result.extension)).toBe(true);
  } else {
    expect(Object.keys(result).sort()).toEqual(["ok", "problem"]);
    expect(dialUriProblems).toContain(result.problem);
  }
}

describe("parseDialUri over generated links", () => {
  it("never gives a number with a refusal, and an accepted number is only '+' and digits", () => {
    fc.assert(fc.property(anyText, country, (uri, c) => expectWellFormed(parseDialUri(uri, c))), { numRuns: 5000 });
  });

  it("reads a real number the same however the link spells it", () => {
    fc.assert(
      fc.property(spelledNumber, ({ link, e164, country: c }) => {
        expect(parseDialUri(link, c)).toMatchObject({ ok: true, e164 });
      }),
      { numRuns: 2000 },
    );
  });

  it("reads any accepted number back to itself as a tel: link", () => {
    fc.assert(
      fc.property(fc.oneof(linkLike, spelledNumber.map((s) => s.link)), country, (uri, c) => {
        const result = parseDialUri(uri, c);
        if (result.ok) expect(parseDialUri(`tel:${result.e164}`, c)).toMatchObject({ ok: true, e164: result.e164 });
      }),
      { numRuns: 3000 },
    );
  });

  it("refuses a readable link once a control character is slipped in anywhere", () => {
    fc.assert(
      fc.property(spelledNumber, fc.constantFrom(...controls), fc.nat(), ({ link, country: c }, control, at) => {
        const position = at % (link.length + 1);
        const tampered = link.slice(0, position) + control + link.slice(position);
        expect(parseDialUri(tampered, c)).toEqual({ ok: false, problem: "control_characters" });
      }),
      { numRuns: 1000 },
    );
  });
});
