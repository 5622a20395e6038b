/**
 * The renderer is served from a privileged custom scheme, never file://, so
 * our own page has one origin we can check senders and navigations against.
 */
export const appScheme = "app";
export const appHost = "caller";
export const appOrigin = `${appScheme}://${appHost}`;

/** The page a window loads; `hash` picks the view (e.g. "dialer"). */
export function appPageUrl(hash?: string): string {
  return `${appOrigin}/index.html${hash ? `#${encodeURIComponent(hash)}` : ""}`;
}

/** True only for app://caller/… with no port or credentials (Chromium reports the host lowercased). */
export function isAppUrl(url: string | null | undefined): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${appScheme}:` &&
    parsed.host === appHost &&
    parsed.username === "" &&
    parsed.password === ""
  );
}
