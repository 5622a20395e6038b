import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ensurePrivateDir } from "../core/store/private-files";

/** How long a window's launch code lives: Chromium reads it within seconds of starting. */
export const windowLaunchTtlMs = 30_000;

export interface AppWindowOptions {
  /** Chromium, or what CALLER_BROWSER names. */
  browser: string;
  dataDir: string;
  /** A fresh one-time launch URL, minted for this window alone. */
  launchUrl: string;
  log: (line: string) => void;
}

/** Where launch pages wait for Chromium: inside the private data dir. */
export const launchDir = (dataDir: string) => join(dataDir, "launch");

/**
 * A page that sends the window on to the launch URL. Chromium's command line
 * (/proc/PID/cmdline, readable by every local user) then names only this
 * file, which only the user can read; the code itself never appears there.
 */
export async function writeLaunchPage(dataDir: string, launchUrl: string, ttlMs: number): Promise<string> {
  const dir = launchDir(dataDir);
  await ensurePrivateDir(dir);
  const file = join(dir, `${randomBytes(16).toString("hex")}.html`);
  const target = launchUrl.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  const page = `<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer"><meta http-equiv="refresh" content="0;url=${target}"><title>Caller</title>\n`;
  await writeFile(file, page, { mode: 0o600, flag: "wx" });
  // Spent or expired after this anyway; a host that exits first leaves it for the next start's sweep.
  setTimeout(() => void rm(file, { force: true }), ttlMs).unref();
  return file;
}

/** Removes launch pages a previous run left (their codes died with it). */
export async function sweepLaunchPages(dataDir: string): Promise<void> {
  await rm(launchDir(dataDir), { recursive: true, force: true });
  await mkdir(launchDir(dataDir), { recursive: true, mode: 0o700 });
}

/** Chromium's arguments for an app window on `launchPage`, its profile in the data dir. */
export function appWindowArgs(launchPage: string, dataDir: string): string[] {
  return [`--app=${pathToFileURL(launchPage).href}`, `--user-data-dir=${join(dataDir, "chromium")}`, "--no-first-run", "--disable-background-networking"];
}

/** Opens the app in a Chromium app window through a launch page. */
export async function openAppWindow(options: AppWindowOptions): Promise<void> {
  const page = await writeLaunchPage(options.dataDir, options.launchUrl, windowLaunchTtlMs);
  const child = spawn(options.browser, appWindowArgs(page, options.dataDir), { stdio: "ignore", detached: true });
  child.on("error", (error) => options.log(`Could not start ${options.browser} (${error.message}).`));
  child.unref();
}
