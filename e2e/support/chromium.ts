import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface RunningChromium {
  wsEndpoint: string;
  stop(): Promise<void>;
  /** Kills the whole browser at once (SIGKILL), as a crash or a pulled plug would: no page gets to say goodbye. */
  crash(): Promise<void>;
}

export const chromiumPath = process.env.CALLER_CHROMIUM ?? "/usr/bin/chromium";

/** Flags that make Debian's Chromium quiet, offline-safe and able to do WebRTC on loopback with fake devices. */
export const chromiumFlags = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--no-default-browser-check",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--disable-features=Translate,MediaRouter,OptimizationHints",
  "--use-fake-ui-for-media-stream",
  "--use-fake-device-for-media-stream",
  "--allow-loopback-in-peer-connection",
  "--autoplay-policy=no-user-gesture-required",
];

/**
 * One Chromium for a whole test run: tests attach over CDP and open their own
 * browser contexts, so nothing leaks between them and no test pays a launch.
 */
export async function startChromium(extraFlags: string[] = []): Promise<RunningChromium> {
  const profile = mkdtempSync(join(tmpdir(), "caller-chromium-"));
  const child = spawn(chromiumPath, [...chromiumFlags, ...extraFlags, `--user-data-dir=${profile}`, "--remote-debugging-port=0", "about:blank"], {
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  const wsEndpoint = await new Promise<string>((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`Chromium did not start in 20 s:\n${seen.slice(-2000)}`)), 20_000);
    child.stderr?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited (${code}) before it was ready:\n${seen.slice(-2000)}`));
    });
  });
  child.stderr?.resume();
  // A benchmark or test run that dies without its teardown must not leave a browser behind.
  const killOnExit = () => {
    if (child.pid === undefined || child.exitCode !== null) return;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  };
  process.once("exit", killOnExit);
  return {
    wsEndpoint,
    stop: async () => {
      process.off("exit", killOnExit);
      await killGroup(child);
      rmSync(profile, { recursive: true, force: true });
    },
    crash: async () => {
      process.off("exit", killOnExit);
      await killGroup(child, "SIGKILL");
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function killGroup(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 5000).unref());
  await Promise.race([exited, timeout]);
  if (child.exitCode === null) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
}
