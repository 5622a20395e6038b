import { describe, expect, it } from "vitest";
import { windowOnlyShell } from "../core/desktop/desktop-shell";
import { hostDesktopShell } from "./host-desktop-shell";

const options = { env: {}, dataDir: "/d", launcher: "/dist/main/open-link.mjs" };

describe("the Node host's desktop shell", () => {
  it("leaves the OS's link handlers alone unless the host is told to manage them (tests, bare runs)", () => {
    expect(hostDesktopShell({ ...options, platform: "linux", manageLinks: false })).toBe(windowOnlyShell);
    expect(hostDesktopShell({ ...options, platform: "darwin", manageLinks: true })).toBe(windowOnlyShell);
    const managed = hostDesktopShell({ ...options, platform: "linux", manageLinks: true });
    expect(managed).not.toBe(windowOnlyShell);
    expect(managed.hotkeyScope).toBe("window");
  });
});
