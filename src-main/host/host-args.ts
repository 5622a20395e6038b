import { homedir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parseSignInArg } from "../core/sign-in-arg";
import { isDialUri } from "../../src-shared/desktop/is-dial-uri";

export interface HostArgs {
  serverUrl: string | null;
  dataDir: string;
  port: number;
  rendererDir: string;
  signIn: { email: string; password: string } | null;
  open: boolean;
  /** A callto:/tel: link to put in the dialer once the page is there (the launcher started us with it). */
  link: string | null;
  /** Manage the OS's callto:/tel: handler: take or release it as the calling method says, from the start. */
  registerLinks: boolean;
}

/** The host's data dir when none is given; the link launcher finds the host's socket through it. */
export function defaultDataDir(env: NodeJS.ProcessEnv): string {
  return env.CALLER_DATA_DIR ?? join(env.XDG_DATA_HOME || join(homedir(), ".local", "share"), "caller-desktop");
}

/** Reads the Node host's command line; a bad value is an error with a message, never a guess. */
export function parseHostArgs(argv: string[], env: NodeJS.ProcessEnv, defaultRendererDir: string): HostArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      server: { type: "string" },
      data: { type: "string" },
      port: { type: "string" },
      renderer: { type: "string" },
      "sign-in": { type: "string" },
      open: { type: "boolean", default: false },
      link: { type: "string" },
      "register-links": { type: "boolean", default: false },
    },
    strict: true,
  });
  const port = Number(values.port ?? env.CALLER_HOST_PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got ${values.port}`);
  const serverUrl = values.server ?? env.CALLER_SERVER_URL ?? null;
  if (serverUrl !== null && !/^https?:\/\/[^\s]+$/.test(serverUrl)) throw new Error(`--server must be an http(s) URL, got ${serverUrl}`);
  // The environment keeps the password off the command line, which every local user can read.
  const signIn = parseSignInArg(values["sign-in"] ?? env.CALLER_SIGN_IN);
  return {
    serverUrl,
    dataDir: values.data ?? defaultDataDir(env),
    port,
    rendererDir: values.renderer ?? defaultRendererDir,
    signIn,
    open: values.open,
    link: values.link !== undefined && isDialUri(values.link) ? values.link : null,
    registerLinks: values["register-links"],
  };
}
