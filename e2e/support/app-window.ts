import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { expect } from "vitest";
import { chromiumFlags, chromiumPath } from "./chromium";

/**
 * The Chromium the Node host starts itself (`--open`): a wrapper for
 * CALLER_BROWSER that adds what the test needs (a DevTools port, fake media,
 * no sandbox as root) and leaves the host's own arguments as they are.
 */
export function chromiumWrapper(): string {
  const flags = chromiumFlags.filter((flag) => flag !== "--headless=new");
  return `#!/bin/sh\nexec ${chromiumPath} ${flags.join(" ")} --remote-debugging-port=0 "$@"\n`;
}

/** The browser process (not a renderer or helper: those carry --type=) started with this profile, if any. */
export function chromiumPidFor(userDataDir: string): number | null {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const args = commandLine(Number(entry));
    if (args.includes(`--user-data-dir=${userDataDir}`) && !args.some((arg) => arg.startsWith("--type="))) return Number(entry);
  }
  return null;
}

/** /proc/PID/cmdline, which every local user can read. */
export function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  } catch {
    return [];
  }
}

/** Attaches to the window's Chromium once it has written its DevTools port (a fresh one per start). */
export async function attachToWindow(userDataDir: string): Promise<Browser> {
  const portFile = join(userDataDir, "DevToolsActivePort");
  let port = "";
  await expect
    .poll(() => {
      try {
        port = readFileSync(portFile, "utf8").split("\n")[0] ?? "";
      } catch {
        port = "";
      }
      return port !== "";
    }, { timeout: 20_000 })
    .toBe(true);
  return chromium.connectOverCDP(`http://127.0.0.1:${port}`);
}

/** Ends the window's Chromium (its own process group: the host starts it detached) and forgets its DevTools port. */
export async function closeWindow(pid: number, userDataDir: string): Promise<void> {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    return;
  }
  // Also from an afterAll, where expect.poll is not allowed.
  for (let waited = 0; chromiumPidFor(userDataDir) !== null; waited += 100) {
    if (waited > 10_000) throw new Error(`Chromium ${pid} did not exit`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  rmSync(join(userDataDir, "DevToolsActivePort"), { force: true });
}

/** The window's page once it shows `url` (it starts on the launch page and is sent on from there). */
export async function windowPage(browser: Browser, url: string): Promise<Page> {
  let found: Page | undefined;
  await expect
    .poll(() => {
      found = browser.contexts().flatMap((context) => context.pages()).find((page) => page.url() === url);
      return found ? url : browser.contexts().flatMap((context) => context.pages()).map((page) => page.url()).join(", ");
    }, { timeout: 20_000 })
    .toBe(url);
  return found!;
}
