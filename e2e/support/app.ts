import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killGroup } from "./chromium";

export interface RunningApp {
  serverUrl: string;
  /** The app page, with its per-launch token. */
  appUrl: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** Starts the real server (SQLite file, demo seed) and the real Node host, each in its own process. */
export async function startApp(options: { hostArgs?: string[] } = {}): Promise<RunningApp> {
  const dataDir = mkdtempSync(join(tmpdir(), "caller-e2e-"));
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const child of children.reverse()) await killGroup(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const server = launch(["dist/server/server.mjs", "--port", "0", "--db", join(dataDir, "server.sqlite"), "--seed-demo"], children);
    const serverUrl = await waitForLine(server, /listening on (http:\/\/\S+)/);
    const host = launch(["dist/main/host.mjs", "--server", serverUrl, "--data", join(dataDir, "desktop"), "--port", "0", ...(options.hostArgs ?? [])], children);
    const appUrl = await waitForLine(host, /CALLER_URL=(\S+)/);
    return { serverUrl, appUrl, dataDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function launch(args: string[], children: ChildProcess[]): ChildProcess {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
  children.push(child);
  child.stderr?.on("data", (chunk: Buffer) => process.stderr.write(`[${args[0]}] ${chunk.toString()}`));
  return child;
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; saw:\n${seen}`)), timeoutMs);
    child.stdout?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`process exited (${code}) before printing ${pattern}; saw:\n${seen}`));
    });
  });
}
