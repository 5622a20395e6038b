import { buildCsp } from "../../src-shared/csp";

export interface ShellConfig {
  /** The company server the core signs in to when the user names none. */
  serverUrl: string | null;
  /** The renderer's Content-Security-Policy. */
  csp: string;
}

/**
 * The shell's settings from its environment, with the same names the Node host
 * reads. A bad URL stops the start with a CallerError rather than widening the CSP.
 */
export function readShellConfig(env: Readonly<Record<string, string | undefined>>): ShellConfig {
  const serverUrl = env.CALLER_SERVER_URL?.trim() || null;
  const pbxUrl = env.CALLER_PBX_URL?.trim() || null;
  const connectSources = (env.CALLER_CONNECT_SOURCES ?? "").split(/\s+/).filter(Boolean);
  return { serverUrl, csp: buildCsp({ serverUrl, pbxUrl, connectSources }) };
}
