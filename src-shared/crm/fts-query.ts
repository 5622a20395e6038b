/** At most this many words reach MATCH: a pasted paragraph must not become a huge query. */
export const maxQueryTokens = 8;
const maxTokenLength = 64;
const shortestNumberTerm = 3;

/** A query that reads as a phone number: digits with the usual separators, and at least three digits. */
function asNumber(text: string): string | null {
  const folded = text.normalize("NFKC");
  if (!/^[+\d\s().\-\u2010-\u2015]+$/.test(folded)) return null;
  const digits = folded.replace(/\D/g, "");
  return digits.length >= shortestNumberTerm ? digits : null;
}

/**
 * Builds an FTS5 MATCH expression from what the user typed: every word becomes
 * a quoted prefix phrase (`"word"*`), joined with AND. Quotes are doubled and
 * words without a letter or digit dropped, so `*`, `NEAR`, `OR`, `(`, `:` and
 * column filters are never read as FTS5 syntax. Returns null when nothing is
 * left to search for (the caller then does not MATCH at all).
 */
export function buildFtsQuery(input: string): string | null {
  const number = asNumber(input);
  if (number !== null) return `"${number}"*`;
  const tokens = input
    .normalize("NFKC")
    .split(/\s+/)
    .filter((token) => /[\p{L}\p{N}]/u.test(token))
    .slice(0, maxQueryTokens)
    .map((token) => {
      // A word like "+81-90" inside a longer query: search its digits, as numbers are indexed.
      const digits = asNumber(token);
      const word = digits ?? token.slice(0, maxTokenLength);
      return `"${word.replaceAll('"', '""')}"*`;
    });
  return tokens.length === 0 ? null : tokens.join(" AND ");
}

/**
 * What the history index holds for a number: its digits and every tail of
 * three digits or more, so a prefix query on any run of digits finds it
 * (`5550123` and `0123` both find +12015550123).
 */
export function numberSearchTerms(number: string): string {
  const digits = number.replace(/\D/g, "");
  const terms: string[] = [];
  for (let start = 0; start <= digits.length - shortestNumberTerm; start += 1) terms.push(digits.slice(start));
  return terms.length === 0 ? number : terms.join(" ");
}
