import { cspOrigin } from "../../src-shared/csp";

export interface ShellConfig {
  /** The company server the core signs in to when the user names none. */
  serverUrl: string | null;
  /**
   * Origins the environment adds to the page's connect-src (development:
   * scripts/start.sh sets them). The signed-in company's server and PBX are
   * added at request time (connect-origins.ts).
   */
  connectSources: string[];
}

/**
 * The shell's settings from its environment, with the same names the Node host
 * reads. A bad URL stops the start with a CallerError rather than widening the CSP.
 */
export function readShellConfig(env: Readonly<Record<string, string | undefined>>): ShellConfig {
  const serverUrl = env.CALLER_SERVER_URL?.trim() || null;
  const pbxUrl = env.CALLER_PBX_URL?.trim() || null;
  const extra = (env.CALLER_CONNECT_SOURCES ?? "").split(/\s+/).filter(Boolean);
  const connectSources = [
    ...(serverUrl ? [cspOrigin(serverUrl, ["http:", "https:"])] : []),
    ...(pbxUrl ? [cspOrigin(pbxUrl, ["ws:", "wss:"])] : []),
    ...extra.map((source) => cspOrigin(source, ["http:", "https:", "ws:", "wss:"])),
  ];
  return { serverUrl, connectSources: [...new Set(connectSources)] };
}
