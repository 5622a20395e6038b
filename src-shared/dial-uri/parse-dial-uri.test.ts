import { describe, expect, it } from "vitest";
import { parseDialUri } from "./parse-dial-uri";
import { dialUriProblems, type DialUriProblem } from "./problems";

/** Each row: the link, then the E.164 number it prefills or the problem it is refused with. */
type Row = [uri: string, expected: `+${string}` | DialUriProblem];

const forJapaneseCompany: Row[] = [
  ["tel:+81-3-1234-5678", "+81312345678"],
  ["tel:03-1234-5678", "+81312345678"],
  ["TEL:+81312345678", "+81312345678"],
  ["Callto:+81312345678", "+81312345678"],
  ["callto:+81312345678", "+81312345678"],
  ["callto://+81312345678", "+81312345678"],
  ["callto:0312345678", "+81312345678"],
  ["callto://0312345678/", "+81312345678"],
  ["tel://+81312345678", "+81312345678"],
  ["tel:(03) 1234.5678", "+81312345678"],
  ["tel:０３－１２３４－５６７８", "+81312345678"],
  ["tel:＋８１　３　１２３４　５６７８", "+81312345678"],
  ["tel:+81\u00a03\u00a01234\u00a05678", "+81312345678"],
  ["tel:+81\u2009312\u202f345678", "+81312345678"],
  ["tel:%2B81-3-1234-5678", "+81312345678"],
  ["tel:%EF%BC%8B81312345678", "+81312345678"],
  ["  tel:+81312345678  ", "+81312345678"],
  ["tel:090-1234-5678", "+819012345678"],
  ["tel:050-1234-5678", "+815012345678"],
  ["tel:0120-123-456", "+81120123456"],
  ["tel:03-1234-5678;phone-context=+81", "+81312345678"],
  ["tel:03-1234-5678;PHONE-CONTEXT=%2B81", "+81312345678"],
  ["tel:1234-5678;phone-context=+81-3", "+81312345678"],
  ["tel:2015550123;phone-context=+1", "+12015550123"],
  ["tel:+81312345678;phone-context=+1", "+81312345678"],
  ["tel:+81312345678;npdi;rn=+81312340000", "+81312345678"],
  ["tel:+1 201 555 0123", "+12015550123"],
  ["tel:7042;phone-context=pbx.example.com", "private_context"],
  ["tel:+81312345678;isub=1411", "unsupported_parameter"],
  ["tel:+81312345678;user=phone", "unsupported_parameter"],
  ["tel:+81312345678;postd=pp22", "dtmf_characters"],
  ["tel:0312345678p123", "dtmf_characters"],
  ["tel:0312345678w", "dtmf_characters"],
  ["tel:0312345678,123", "dtmf_characters"],
  ["tel:03-1234-5678;1234", "dtmf_characters"],
  ["tel:+81312345678%3B1234", "dtmf_characters"],
  ["tel:*67-03-1234-5678", "star_code"],
  ["tel:#31#0312345678", "star_code"],
  ["tel:%2331%230312345678", "star_code"],
  ["tel:0990-123-456", "premium_rate"],
  ["tel:+44 909 879 0879", "premium_rate"],
  ["tel:0570-064-325", "not_personal"],
  ["tel:020-1234-5678", "not_personal"],
  ["tel:110", "emergency"],
  ["tel:+81-119", "emergency"],
  ["tel:+1-800-FLOWERS", "letters"],
  ["tel:電話", "letters"],
  ["callto:echo123", "skype_name"],
  ["callto:live:.cid.1234", "skype_name"],
  ["javascript:alert(1)", "not_a_dial_uri"],
  ["JavaScript:tel:+81312345678", "not_a_dial_uri"],
  ["sip:+81312345678@example.com", "not_a_dial_uri"],
  ["+81312345678", "not_a_dial_uri"],
  ["", "empty"],
  ["tel:", "empty"],
  ["callto://", "empty"],
  ["tel:%20;phone-context=+81", "empty"],
  ["tel:+81312345678%0A", "control_characters"],
  ["tel:+81312345678\r\nINVITE", "control_characters"],
  ["tel:+81312345678\u0000", "control_characters"],
  ["tel:+8131234\u20285678", "control_characters"],
  ["tel:+81\u202e876543213", "control_characters"],
  ["tel:+81\u200b312345678", "control_characters"],
  ["\ttel:+81312345678", "control_characters"],
  ["tel:%", "malformed_escape"],
  ["tel:%G1", "malformed_escape"],
  ["tel:%FF", "malformed_escape"],
  ["tel:%C0%AF", "malformed_escape"],
  ["tel:%252B81312345678", "malformed_escape"],
  ["tel:+81 3 1234 5678 9999 1234", "too_long"],
  [`tel:+81${"1".repeat(70)}`, "too_long"],
  [`tel:+81312345678;rn=${"1".repeat(2048)}`, "too_long"],
  ["tel:+999 1234 5678", "unknown_country"],
  ["tel:12", "too_short"],
  ["tel:+81/312345678", "invalid"],
  ["tel:+81312345678;ext=12a", "invalid"],
  ["tel:+81312345678;ext=1;ext=2", "invalid"],
  ["tel:03-1234-5678;phone-context=+", "invalid"],
  ["tel:03-1234-5678;phone-context=-bad-.example", "invalid"],
];

const forUsCompany: Row[] = [
  ["tel:+1-201-555-0123", "+12015550123"],
  ["tel:201-555-0123", "+12015550123"],
  ["tel:(201) 555-0123", "+12015550123"],
  ["tel:201.555.0123", "+12015550123"],
  ["tel:1-201-555-0123", "+12015550123"],
  ["callto:+1 (201) 555-0123", "+12015550123"],
  ["callto://2015550123/", "+12015550123"],
  ["CALLTO:2015550123", "+12015550123"],
  ["tel:%2B1%20201%20555%200123", "+12015550123"],
  ["tel:２０１－５５５－０１２３", "+12015550123"],
  ["tel:5550123;phone-context=+1-201", "+12015550123"],
  ["tel:(201)555-0123;phone-context=+1", "+12015550123"],
  ["tel:03-1234-5678;phone-context=+81", "+81312345678"],
  ["tel:+81-3-1234-5678", "+81312345678"],
  ["tel:1-800-253-0000", "+18002530000"],
  ["tel:+44 20 7946 0958", "+442079460958"],
  ["tel:03-1234-5678", "invalid"],
  ["tel:5550123", "too_short"],
  ["tel:5550123;phone-context=example.com", "private_context"],
  ["tel:+1-900-253-1234", "premium_rate"],
  ["tel:+1-500-555-0123", "not_personal"],
  ["tel:+44 70 1234 5678", "not_personal"],
  ["tel:911", "emergency"],
  ["tel:+1-911", "emergency"],
  ["tel:*67-201-555-0123", "star_code"],
  ["tel:*69", "star_code"],
  ["tel:+12015550123#", "star_code"],
  ["tel:+12015550123p1234", "dtmf_characters"],
  ["tel:+12015550123;postd=1234", "dtmf_characters"],
  ["tel:+12015550123;", "dtmf_characters"],
  ["tel:1-800-FLOWERS", "letters"],
  ["tel:+12015550123@example.com", "letters"],
  ["callto:john.smith", "skype_name"],
  ["vbscript:msgbox(1)", "not_a_dial_uri"],
  ["data:text/html,<script>alert(1)</script>", "not_a_dial_uri"],
  ["tel:+12015550123\n", "control_characters"],
  ["tel:+12015550123%E2%80%A8", "control_characters"],
  ["tel:+1%2", "malformed_escape"],
  ["tel:+12015550123;isub=1", "unsupported_parameter"],
  [`tel:+1${"2".repeat(15)}`, "too_long"],
];

describe("parseDialUri", () => {
  describe.each([
    ["JP", forJapaneseCompany],
    ["US", forUsCompany],
  ] as const)("for a company in %s", (country, rows) => {
    it.each(rows)("reads %j as %s", (uri, expected) => {
      const result = parseDialUri(uri, country);
      if (expected.startsWith("+")) expect(result).toMatchObject({ ok: true, e164: expected });
      else expect(result).toEqual({ ok: false, problem: expected });
    });
  });

  it("covers every problem code in the tables", () => {
    const seen = new Set([...forJapaneseCompany, ...forUsCompany].map(([, expected]) => expected));
    expect(dialUriProblems.filter((problem) => !seen.has(problem))).toEqual([]);
  });

  it("shows the number grouped the international way", () => {
    expect(parseDialUri("callto:0312345678", "JP")).toEqual({
      ok: true,
      e164: "+81312345678",
      display: "+81 3 1234 5678",
      extension: null,
    });
  });

  it("dials the main number of a link with an extension and hands the extension to the UI", () => {
    expect(parseDialUri("tel:+1-201-555-0123;ext=12-34", "US")).toMatchObject({
      ok: true,
      e164: "+12015550123",
      extension: "1234",
    });
  });

  it("decodes escapes once: an escaped ';' is part of the number, not a parameter", () => {
    expect(parseDialUri("tel:+12015550123%3Bext=1", "US")).toEqual({ ok: false, problem: "dtmf_characters" });
  });

  it("refuses a 2049-character link before reading it, even one that would parse", () => {
    const padded = `tel:+12015550123${" ".repeat(2049 - 16)}`;
    expect(padded).toHaveLength(2049);
    expect(parseDialUri(padded, "US")).toEqual({ ok: false, problem: "too_long" });
    expect(parseDialUri(padded.slice(0, 2048), "US")).toMatchObject({ ok: true, e164: "+12015550123" });
  });
});
