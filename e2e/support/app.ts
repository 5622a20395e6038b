import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requestLaunchUrl } from "../../src-main/host/link-socket";
import { killGroup } from "./chromium";

export interface RunningProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface RunningHost extends RunningProcess {
  /** The app's address: a context that opened a launch URL once can come back here (reload, a second tab). */
  url: string;
  /** The user's link socket, over which the host mints launch URLs. */
  linkSocket: string;
  /** A fresh one-time URL that opens the app in a new browser context (its code becomes that context's session cookie). */
  launchUrl(): Promise<string>;
}

export interface RunningApp {
  serverUrl: string;
  dataDir: string;
  server: RunningProcess;
  host: RunningHost;
  stop(): Promise<void>;
}

/** The real company server on a free port, SQLite file in `dataDir`, demo company seeded. */
export function startServerProcess(dataDir: string, extraArgs: string[] = []): Promise<RunningProcess> {
  return launch(["dist/server/server.mjs", "--port", "0", "--db", join(dataDir, "server.sqlite"), "--seed-demo", ...extraArgs], /listening on (http:\/\/\S+)/);
}

/** The real Node host (desktop core + renderer) on a free port, its store in `dataDir/desktop`. */
export async function startHostProcess(serverUrl: string, dataDir: string, extraArgs: string[] = []): Promise<RunningHost> {
  const started = await launch(["dist/main/host.mjs", "--server", serverUrl, "--data", join(dataDir, "desktop"), "--port", "0", ...extraArgs], /CALLER_LINK_SOCKET=(\S+)/);
  const url = /CALLER_URL=(\S+)/.exec(started.seen)?.[1];
  if (!url) throw new Error(`the host printed no CALLER_URL; saw:\n${started.seen}`);
  const linkSocket = started.url;
  return { ...started, url, linkSocket, launchUrl: () => requestLaunchUrl(linkSocket, process.getuid?.() ?? -1) };
}

/** Server and host, each in its own process, in a fresh temp directory removed on stop. */
export async function startApp(options: { hostArgs?: string[]; serverArgs?: string[] } = {}): Promise<RunningApp> {
  const dataDir = mkdtempSync(join(tmpdir(), "caller-e2e-"));
  const started: RunningProcess[] = [];
  const stop = async () => {
    for (const process of started.reverse()) await process.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const server = await startServerProcess(dataDir, options.serverArgs);
    started.push(server);
    const host = await startHostProcess(server.url, dataDir, options.hostArgs);
    started.push(host);
    return { serverUrl: server.url, dataDir, server, host, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

// A generous deadline: on a 2-core box shared with other runs, a cold server start has taken over 15 s; a real hang still fails.
async function launch(args: string[], ready: RegExp, timeoutMs = 60_000): Promise<RunningProcess & { seen: string }> {
  // Request logs would drown the test output; warnings and errors still show.
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], detached: true, env: { ...process.env, CALLER_LOG_LEVEL: process.env.CALLER_LOG_LEVEL ?? "warn" } });
  child.stderr?.on("data", (chunk: Buffer) => process.stderr.write(`[${args[0]}] ${chunk.toString()}`));
  const stop = () => killGroup(child);
  try {
    let seen = "";
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${args[0]}: timed out waiting for ${ready}; saw:\n${seen}`)), timeoutMs);
      child.stdout?.on("data", (chunk: Buffer) => {
        seen += chunk.toString();
        const match = ready.exec(seen);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`${args[0]} exited (${code}) before it was ready; saw:\n${seen}`));
      });
    });
    child.stdout?.resume();
    return { url, child, stop, seen };
  } catch (error) {
    await stop();
    throw error;
  }
}
