import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { desktopEntry, execArgument } from "./desktop-entry";
import { createXdgLinkHandler } from "./xdg-link-handler";

let home: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "caller-xdg-"));
  // Only this temp home: never the real user's handlers. No XDG_DATA_DIRS entries from the machine either.
  env = { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: join(home, "data"), XDG_CONFIG_HOME: join(home, "config"), XDG_DATA_DIRS: join(home, "system") };
  await mkdir(join(home, "config"), { recursive: true });
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const query = (type: string) => execFileSync("xdg-mime", ["query", "default", type], { env }).toString().trim();
const handler = () => createXdgLinkHandler({ env, command: ["/usr/bin/node", "/opt/caller/dist/main/open-link.mjs", "--data", join(home, "app")], stateFile: join(home, "replaced.json") });

async function installOtherApp(): Promise<void> {
  await mkdir(join(home, "data", "applications"), { recursive: true });
  await writeFile(join(home, "data", "applications", "other-phone.desktop"), "[Desktop Entry]\nType=Application\nName=Other\nExec=/bin/true %u\nMimeType=x-scheme-handler/callto;x-scheme-handler/tel;\n");
  execFileSync("xdg-mime", ["default", "other-phone.desktop", "x-scheme-handler/callto"], { env });
  execFileSync("xdg-mime", ["default", "other-phone.desktop", "x-scheme-handler/tel"], { env });
}

describe("Linux link registration through xdg-utils", () => {
  it("takes callto: and tel: with a .desktop entry that runs the launcher, then gives them back to the app it replaced", async () => {
    await installOtherApp();
    const xdg = handler();
    await expect(xdg.setLinkHandler(true)).resolves.toEqual({ state: "registered", detail: null });
    expect(query("x-scheme-handler/callto")).toBe("caller-desktop.desktop");
    expect(query("x-scheme-handler/tel")).toBe("caller-desktop.desktop");
    const entry = readFileSync(xdg.entryPath, "utf8");
    expect(entry).toContain(`Exec=/usr/bin/node /opt/caller/dist/main/open-link.mjs --data ${join(home, "app")} %u\n`);
    expect(entry).toContain("MimeType=x-scheme-handler/callto;x-scheme-handler/tel;\n");

    await expect(xdg.setLinkHandler(false)).resolves.toEqual({ state: "released", detail: null });
    expect(query("x-scheme-handler/callto")).toBe("other-phone.desktop");
    expect(query("x-scheme-handler/tel")).toBe("other-phone.desktop");
    expect(existsSync(xdg.entryPath)).toBe(false);
  });

  it("lets go even when no app had the links before: xdg-mime names nothing, not Caller", async () => {
    const xdg = handler();
    await xdg.setLinkHandler(true);
    expect(query("x-scheme-handler/callto")).toBe("caller-desktop.desktop");
    await xdg.setLinkHandler(false);
    expect(query("x-scheme-handler/callto")).toBe("");
    expect(query("x-scheme-handler/tel")).toBe("");
    expect(readFileSync(join(home, "config", "mimeapps.list"), "utf8")).not.toContain("caller-desktop");
  });

  it("taking again rewrites an entry whose launcher path is stale", async () => {
    const xdg = handler();
    await xdg.setLinkHandler(true);
    await writeFile(xdg.entryPath, "[Desktop Entry]\nExec=/old/path %u\n");
    await expect(xdg.setLinkHandler(true)).resolves.toEqual({ state: "registered", detail: null });
    expect(readFileSync(xdg.entryPath, "utf8")).toContain("open-link.mjs");
  });
});

describe("the .desktop entry", () => {
  it("quotes an Exec argument only when it must, and escapes what the spec reserves", () => {
    expect(execArgument("/usr/bin/node")).toBe("/usr/bin/node");
    expect(execArgument("/home/a b/x")).toBe('"/home/a b/x"');
    expect(execArgument('/tmp/$x"`\\')).toBe('"/tmp/\\$x\\"\\`\\\\"');
    expect(execArgument("/tmp/100%")).toBe("/tmp/100%%");
    expect(desktopEntry(["/n", "/l.mjs"])).toContain("Exec=/n /l.mjs %u\n");
  });
});
