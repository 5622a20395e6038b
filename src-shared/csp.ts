import { CallerError } from "./errors";

/** Where the renderer may connect besides its own origin; each URL contributes its origin only. */
export interface CspOptions {
  /** The company server (http: or https:). */
  serverUrl?: string | null;
  /** The PBX WebSocket SIP.js connects to (ws: or wss:). */
  pbxUrl?: string | null;
  /** Further origins for connect-src (http:, https:, ws:, wss:). */
  connectSources?: readonly string[];
}

const httpSchemes = ["http:", "https:"] as const;
const wsSchemes = ["ws:", "wss:"] as const;
// What an origin of these schemes looks like; anything else (`*`, quotes, `;`) could widen the policy.
const originPattern = /^(https?|wss?):\/\/([a-z0-9_-]+(\.[a-z0-9_-]+)*|\[[0-9a-f:.]+\])(:\d{1,5})?$/;

/**
 * The renderer's Content-Security-Policy, the same for the Electron shell and
 * the Node host. Styles come from files only: React's `style` props go through
 * CSSOM, which CSP does not govern, so no 'unsafe-inline' is needed.
 */
export function buildCsp(options: CspOptions = {}): string {
  const connect = new Set(["'self'"]);
  if (options.serverUrl) connect.add(cspOrigin(options.serverUrl, httpSchemes));
  if (options.pbxUrl) connect.add(cspOrigin(options.pbxUrl, wsSchemes));
  for (const source of options.connectSources ?? []) connect.add(cspOrigin(source, [...httpSchemes, ...wsSchemes]));

  const directives: Array<[string, ...string[]]> = [
    ["default-src", "'self'"],
    ["script-src", "'self'"],
    ["style-src", "'self'"],
    ["connect-src", ...connect],
    ["media-src", "'self'", "blob:"],
    ["img-src", "'self'", "data:"],
    ["object-src", "'none'"],
    ["frame-src", "'none'"],
    ["base-uri", "'none'"],
    ["frame-ancestors", "'none'"],
    ["form-action", "'none'"],
  ];
  return directives.map((directive) => directive.join(" ")).join("; ");
}

/** The URL's origin as a CSP source, or a CallerError when it is not a plain origin of an allowed scheme. */
export function cspOrigin(url: string, schemes: readonly string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CallerError("bad_request", `Not a URL: ${JSON.stringify(url)}`);
  }
  if (!schemes.includes(parsed.protocol)) {
    throw new CallerError("bad_request", `${JSON.stringify(url)} must use ${schemes.join(" or ")}`);
  }
  if (parsed.username !== "" || parsed.password !== "" || !originPattern.test(parsed.origin)) {
    throw new CallerError("bad_request", `${JSON.stringify(url)} is not a plain origin`);
  }
  return parsed.origin;
}
