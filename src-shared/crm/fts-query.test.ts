import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { buildFtsQuery, maxQueryTokens, numberSearchTerms } from "./fts-query";

describe("FTS query builder", () => {
  it("turns each word into a quoted prefix phrase joined with AND", () => {
    expect(buildFtsQuery("yamada follow")).toBe('"yamada"* AND "follow"*');
  });

  it("reads a typed number as its digits, whatever the separators", () => {
    expect(buildFtsQuery("+1 (201) 555-0123")).toBe('"12015550123"*');
    expect(buildFtsQuery("０９０-１２３４")).toBe('"0901234"*');
  });

  it("quotes FTS5 operators and doubles quotes so hostile input stays literal", () => {
    expect(buildFtsQuery('NEAR(a b) OR "x')).toBe('"NEAR(a"* AND "b)"* AND "OR"* AND """x"*');
    expect(buildFtsQuery("notes:secret")).toBe('"notes:secret"*');
  });

  it("drops words with nothing searchable and returns null for empty input", () => {
    expect(buildFtsQuery("*")).toBeNull();
    expect(buildFtsQuery('  " ( ) *  ')).toBeNull();
    expect(buildFtsQuery("")).toBeNull();
    expect(buildFtsQuery("* tanaka")).toBe('"tanaka"*');
  });

  it("keeps at most a few words", () => {
    expect(buildFtsQuery("a ".repeat(50))?.split(" AND ")).toHaveLength(maxQueryTokens);
  });

  it("never leaves a quote unpaired, for any input", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const query = buildFtsQuery(text);
        if (query === null) return;
        for (const phrase of query.split(" AND ")) {
          expect(phrase.startsWith('"') && phrase.endsWith('"*')).toBe(true);
          expect(phrase.slice(1, -2).replaceAll('""', "")).not.toContain('"');
        }
      }),
    );
  });

  it("indexes every tail of a number's digits", () => {
    expect(numberSearchTerms("+12015550123").split(" ")).toEqual(["12015550123", "2015550123", "015550123", "15550123", "5550123", "550123", "50123", "0123", "123"]);
  });
});
