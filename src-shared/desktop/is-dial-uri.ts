const dialUriPattern = /^(callto|tel):/i;
// Phone URIs are short; a long argument is something else and not worth handing on.
const maxDialUriLength = 256;

/**
 * A callto:/tel: URI of plausible length: what a shell, the link launcher or
 * its socket hands to the core (which parses it properly).
 */
export function isDialUri(value: string): boolean {
  return value.length <= maxDialUriLength && dialUriPattern.test(value);
}
