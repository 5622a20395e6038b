import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { autostartEntry, autostartPath, setLinuxAutostart } from "./linux-autostart";

describe("start at login on Linux", () => {
  it("writes an XDG autostart entry that starts Caller hidden, and removes it again", () => {
    const home = mkdtempSync(join(tmpdir(), "caller-autostart-"));
    try {
      const env = { XDG_CONFIG_HOME: join(home, "config") };
      setLinuxAutostart(true, "/opt/Caller/caller", env);
      expect(readFileSync(autostartPath(env), "utf8")).toContain("Exec=/opt/Caller/caller --hidden\n");
      setLinuxAutostart(false, "/opt/Caller/caller", env);
      expect(existsSync(autostartPath(env))).toBe(false);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("quotes a path with spaces", () => {
    expect(autostartEntry("/home/a b/Caller.AppImage")).toContain('Exec="/home/a b/Caller.AppImage" --hidden');
  });
});
