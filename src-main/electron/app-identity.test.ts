import path from "node:path";
import { describe, expect, it } from "vitest";
import { appIdentity, applyAppIdentity, type IdentityApp } from "./app-identity";

function recordingApp(switches: string[] = []) {
  const calls: string[] = [];
  const app: IdentityApp = {
    commandLine: { hasSwitch: (name) => switches.includes(name) },
    setName: (name) => void calls.push(`setName ${name}`),
    getPath: (name) => (name === "appData" ? "/home/u/.config" : `/unexpected/${name}`),
    setPath: (name, value) => void calls.push(`setPath ${name} ${value}`),
    setDesktopName: (name) => void calls.push(`setDesktopName ${name}`),
    setAppUserModelId: (id) => void calls.push(`setAppUserModelId ${id}`),
  };
  return { app, calls };
}

describe("the app's identity", () => {
  it("names the app and its data folder on every platform, and what Linux and Windows key on", () => {
    for (const [platform, extra] of [
      ["linux", `setDesktopName ${appIdentity.desktopName}`],
      ["win32", `setAppUserModelId ${appIdentity.appId}`],
      ["darwin", null],
    ] as const) {
      const { app, calls } = recordingApp();
      applyAppIdentity(app, platform);
      expect(calls).toEqual([`setName Caller Desktop`, `setPath userData ${path.join("/home/u/.config", "caller-desktop")}`, ...(extra ? [extra] : [])]);
    }
  });

  it("leaves userData to an explicit --user-data-dir", () => {
    const { app, calls } = recordingApp(["user-data-dir"]);
    applyAppIdentity(app, "darwin");
    expect(calls).toEqual(["setName Caller Desktop"]);
  });

  it("uses a reverse-DNS desktop name and the Node host's data folder name", () => {
    expect(appIdentity.desktopName).toMatch(/^[a-z]+(\.[A-Za-z]+)+\.desktop$/);
    expect(appIdentity.desktopName.replace(/\.desktop$/, "")).toBe(appIdentity.appId);
    expect(appIdentity.dataDirName).toBe("caller-desktop");
  });
});
