import { homedir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parseSignInArg } from "../core/sign-in-arg";

export interface HostArgs {
  serverUrl: string | null;
  dataDir: string;
  port: number;
  rendererDir: string;
  signIn: { email: string; password: string } | null;
  open: boolean;
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
    },
    strict: true,
  });
  const port = Number(values.port ?? env.CALLER_HOST_PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got ${values.port}`);
  const serverUrl = values.server ?? env.CALLER_SERVER_URL ?? null;
  if (serverUrl !== null && !/^https?:\/\/[^\s]+$/.test(serverUrl)) throw new Error(`--server must be an http(s) URL, got ${serverUrl}`);
  const signIn = parseSignInArg(values["sign-in"]);
  const dataHome = env.XDG_DATA_HOME || join(homedir(), ".local", "share");
  return {
    serverUrl,
    dataDir: values.data ?? env.CALLER_DATA_DIR ?? join(dataHome, "caller-desktop"),
    port,
    rendererDir: values.renderer ?? defaultRendererDir,
    signIn,
    open: values.open,
  };
}
