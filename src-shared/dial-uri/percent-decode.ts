/**
 * Decodes `%XX` escapes exactly once, as UTF-8. Returns null for a malformed
 * escape (`%`, `%G1`, `%2`), invalid UTF-8, overlong forms or surrogates: a
 * link we cannot read unambiguously is refused, never guessed at. A `%25`
 * decodes to a literal `%` and stays one (no second pass).
 */
export function decodeOnce(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
