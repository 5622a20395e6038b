import { execFile } from "node:child_process";
import { promisify } from "node:util";

/** Runs a command and gives its stdout, or throws (missing binary, non-zero exit, timeout). */
export type RunCommand = (file: string, args: string[]) => Promise<string>;

const execFileAsync = promisify(execFile);
const runWithTimeout: RunCommand = async (file, args) => (await execFileAsync(file, args, { timeout: 3_000, env: process.env })).stdout;

const call = (dest: string, path: string, method: string, ...args: string[]) => [
  "--session",
  "--print-reply=literal",
  "--reply-timeout=2000",
  `--dest=${dest}`,
  path,
  method,
  ...args,
];

/** The boolean in dbus-send's literal reply ("   boolean true", "   variant       boolean true"). */
export function parseDbusBoolean(stdout: string): boolean | null {
  const match = /\bboolean (true|false)\b/.exec(stdout);
  return match ? match[1] === "true" : null;
}

/**
 * Linux: whether a tray icon would be seen. Electron's tray is a
 * StatusNotifierItem, and falls back to a GtkStatusIcon that GNOME and
 * Wayland never show (shell/browser/ui/tray_icon_linux.cc:35-95; docs/api/tray.md):
 * the `Tray` is created either way, it is only unseen. A host shows SNI icons
 * when org.kde.StatusNotifierWatcher is on the session bus and reports
 * IsStatusNotifierHostRegistered. Asked with dbus-send (the dbus package every
 * desktop has); no answer counts as "no host", so the window stays reachable.
 */
export async function statusNotifierHostPresent(run: RunCommand = runWithTimeout): Promise<boolean> {
  try {
    const owned = parseDbusBoolean(
      await run("dbus-send", call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", "string:org.kde.StatusNotifierWatcher")),
    );
    if (owned !== true) return false;
    const host = await run(
      "dbus-send",
      call("org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher", "org.freedesktop.DBus.Properties.Get", "string:org.kde.StatusNotifierWatcher", "string:IsStatusNotifierHostRegistered"),
    );
    return parseDbusBoolean(host) === true;
  } catch {
    return false;
  }
}
