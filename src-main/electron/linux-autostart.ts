import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * Start at login on Linux, where app.setLoginItemSettings does nothing: an
 * XDG autostart entry that starts Caller hidden in the tray.
 */
export function autostartPath(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_CONFIG_HOME || join(env.HOME ?? homedir(), ".config"), "autostart", "caller-desktop.desktop");
}

export function autostartEntry(execPath: string): string {
  const exec = /\s/.test(execPath) ? `"${execPath.replace(/(["`$\\])/g, "\\$1")}"` : execPath;
  return ["[Desktop Entry]", "Type=Application", "Name=Caller", `Exec=${exec} --hidden`, "X-GNOME-Autostart-enabled=true", "NoDisplay=true", ""].join("\n");
}

export function setLinuxAutostart(on: boolean, execPath: string, env: NodeJS.ProcessEnv): void {
  const path = autostartPath(env);
  if (!on) {
    rmSync(path, { force: true });
    return;
  }
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, autostartEntry(execPath));
}
