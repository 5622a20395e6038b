/**
 * Control and format characters (C0/C1 incl. CR, LF, NUL, TAB; DEL; U+2028/2029;
 * bidi overrides, zero-width and other Cf; lone surrogates). None belongs in a
 * phone number, and several can hide or reorder what the user is shown.
 */
const unsafe = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

export function hasUnsafeCharacters(text: string): boolean {
  return unsafe.test(text);
}
