import type { DesktopShell } from "./desktop/desktop-shell";
import type { ServerLinkOptions } from "./server-link";
import type { TokenProtector } from "./token-protector";

/** What a shell (Electron or the Node host) tells `createCore`. */
export interface CoreOptions {
  dataDir: string;
  /** The company server the app signs in to when the user names none. */
  serverUrl: string | null;
  shell: "electron" | "node-host";
  version: string;
  /** How often to pull the change feed while signed in, besides whenever the held feed request hears a change. */
  syncIntervalMs?: number;
  /** The shell's hands on the OS (link handler, global hotkeys, login item); none: in-window shortcuts only. */
  desktopShell?: DesktopShell;
  /** How the server session token is kept at rest; none: plain text in the store, which only the user can read. */
  tokenProtector?: TokenProtector;
  /** How the server's reachability is probed (tests shorten it). */
  serverLink?: ServerLinkOptions;
}
