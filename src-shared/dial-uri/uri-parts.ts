export type DialScheme = "tel" | "callto";

/** A dial URI cut into its still-encoded pieces: the number and the `;`-separated parameters. */
export interface UriParts {
  scheme: DialScheme;
  target: string;
  parameters: string[];
}

const schemePattern = /^(tel|callto):/i;

/**
 * Cuts `tel:` (RFC 3966) and `callto:` links. The scheme is matched
 * case-insensitively; `//` after it and one trailing `/` are dropped, since
 * `callto://0312345678/` is common in the wild (and tolerated for `tel:` too).
 * Splitting happens before any `%`-decoding, so an escaped `;` never starts a parameter.
 * Returns null when the text is not a `tel:` or `callto:` URI.
 */
export function splitDialUri(uri: string): UriParts | null {
  const match = schemePattern.exec(uri);
  if (!match?.[1]) return null;
  const scheme: DialScheme = match[1].toLowerCase() === "tel" ? "tel" : "callto";
  let rest = uri.slice(match[0].length);
  if (rest.startsWith("//")) rest = rest.slice(2);
  if (rest.endsWith("/")) rest = rest.slice(0, -1);
  const [target = "", ...parameters] = rest.split(";");
  return { scheme, target, parameters };
}
