import { isDialUri } from "../../src-shared/desktop/is-dial-uri";

export { isDialUri };

/**
 * The callto:/tel: URI a protocol launch put on the command line (Windows and
 * Linux; macOS sends `open-url` instead), raw; null when there is none.
 * argv[0] is the executable; switches never match.
 */
export function findDialUri(argv: readonly string[]): string | null {
  return argv.slice(1).find(isDialUri) ?? null;
}
