import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createXdgLinkHandler } from "../host/xdg-link-handler";
import { appIdentity } from "./app-identity";
import { linuxLinkCommand } from "./os-links";

describe("what a Linux link entry runs", () => {
  const launch = { defaultApp: false, execPath: "/opt/Caller Desktop/caller-desktop", appEntry: null };
  it("is the AppImage itself, not its temporary mount", () => {
    expect(linuxLinkCommand({ ...launch, execPath: "/tmp/.mount_Caller/caller-desktop" }, { APPIMAGE: "/home/u/Caller.AppImage" })).toEqual(["/home/u/Caller.AppImage"]);
  });
  it("is Electron and the app folder in development, else the installed executable", () => {
    expect(linuxLinkCommand({ defaultApp: true, execPath: "/src/node_modules/electron/dist/electron", appEntry: "/src/dist/electron-app" }, {})).toEqual([
      "/src/node_modules/electron/dist/electron",
      "/src/dist/electron-app",
    ]);
    expect(linuxLinkCommand(launch, {})).toEqual(["/opt/Caller Desktop/caller-desktop"]);
  });
});

describe("Linux links for a package-installed app", () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  const installed = () => path.join(home, "system", "applications", appIdentity.desktopName);
  const own = () => path.join(home, "data", "applications", appIdentity.desktopName);
  const query = (type: string) => execFileSync("xdg-mime", ["query", "default", type], { env }).toString().trim();
  const handler = () =>
    createXdgLinkHandler({ env, command: ["/opt/Caller Desktop/caller-desktop"], stateFile: path.join(home, "replaced.json"), entryId: appIdentity.desktopName, preferInstalledEntry: true });

  beforeEach(() => {
    home = mkdtempSync(path.join(tmpdir(), "caller-xdg-deb-"));
    env = { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: path.join(home, "data"), XDG_CONFIG_HOME: path.join(home, "config"), XDG_DATA_DIRS: path.join(home, "system") };
    mkdirSync(path.join(home, "config"), { recursive: true });
    mkdirSync(path.dirname(installed()), { recursive: true });
    // What the deb installs (electron-builder: syncDesktopName, mimeTypes).
    writeFileSync(installed(), `[Desktop Entry]\nType=Application\nName=Caller Desktop\nExec=/bin/true %U\nMimeType=x-scheme-handler/callto;x-scheme-handler/tel;\n`);
    mkdirSync(path.join(home, "data", "applications"), { recursive: true });
    writeFileSync(path.join(home, "data", "applications", "other-phone.desktop"), "[Desktop Entry]\nType=Application\nName=Other\nExec=/bin/true %u\nMimeType=x-scheme-handler/tel;x-scheme-handler/callto;\n");
    for (const type of ["x-scheme-handler/callto", "x-scheme-handler/tel"]) execFileSync("xdg-mime", ["default", "other-phone.desktop", type], { env });
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it("points links at the installed entry, writes none over it, and removes one it wrote before the package came", async () => {
    // An AppImage run before the deb was installed left an entry of ours, which would hide the package's launcher.
    writeFileSync(own(), "[Desktop Entry]\nType=Application\nName=Caller\nExec=/old/Caller.AppImage %u\nNoDisplay=true\nX-Caller-Link-Entry=true\n");
    const xdg = handler();
    await expect(xdg.setLinkHandler(true)).resolves.toEqual({ state: "registered", detail: null });
    expect(query("x-scheme-handler/tel")).toBe(appIdentity.desktopName);
    expect(existsSync(own())).toBe(false);
    await expect(xdg.holdsLinks()).resolves.toBe(true);

    await expect(xdg.setLinkHandler(false)).resolves.toEqual({ state: "released", detail: null });
    expect(query("x-scheme-handler/tel")).toBe("other-phone.desktop");
    expect(readFileSync(installed(), "utf8")).toContain("Name=Caller Desktop");
    await expect(xdg.holdsLinks()).resolves.toBe(false);
  }, 60_000);

  it("leaves an entry of the user's own with that name alone", async () => {
    writeFileSync(own(), "[Desktop Entry]\nType=Application\nName=My Caller\nExec=/bin/true %u\n");
    await handler().setLinkHandler(true);
    expect(readFileSync(own(), "utf8")).toContain("Name=My Caller");
  }, 60_000);
});
