const dialUriPattern = /^(callto|tel):/i;
// Phone URIs are short; a long argument is something else and not worth handing on.
const maxDialUriLength = 256;

/** A callto:/tel: URI of plausible length (macOS `open-url` hands us any registered scheme). */
export function isDialUri(value: string): boolean {
  return value.length <= maxDialUriLength && dialUriPattern.test(value);
}

/**
 * The callto:/tel: URI a protocol launch put on the command line (Windows and
 * Linux; macOS sends `open-url` instead), raw; null when there is none.
 * argv[0] is the executable; switches never match.
 */
export function findDialUri(argv: readonly string[]): string | null {
  return argv.slice(1).find(isDialUri) ?? null;
}
