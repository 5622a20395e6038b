import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { appIdentity } from "./app-identity";
import type * as WindowsLinkChoice from "./windows-link-choice";

// callto:/tel: registration through main.ts, against a fake Electron whose
// protocol-client calls behave per platform as Electron 45's do (see fake-electron.ts).
const fake = await vi.hoisted(async () => (await import("./fake-electron")).createFakeElectron());
vi.mock("electron", () => fake.electron);
vi.mock("../core/create-core", () => ({ createCore: fake.createCore }));
// Each test imports main.ts afresh (its whole module graph) and works on real files and
// real xdg-mime runs; on a loaded CI machine that alone can take more than Vitest's 5 s.
vi.setConfig({ testTimeout: 30_000 });
// reg.exe reads the fake's registry (this machine has no Windows).
vi.mock("./windows-link-choice", async (importOriginal) => ({
  ...(await importOriginal<typeof WindowsLinkChoice>()),
  regExeRead: (key: string, value: string) => fake.readRegistry(key, value),
}));

async function start(options: Parameters<typeof fake.reset>[0]) {
  fake.reset(options);
  vi.resetModules();
  await import("./main");
  fake.state.resolveReady();
  // On Linux the start takes the links through xdg-mime (a shell script per query).
  await vi.waitFor(() => expect(fake.state.linkStatus).not.toBeNull(), { timeout: 60_000 });
}

const shell = () => {
  if (!fake.state.shell) throw new Error("the core got no desktop shell");
  return fake.state.shell;
};

afterEach(() => {
  vi.unstubAllEnvs();
  fake.restoreProcess();
});

const xdgDefault = (type: string) => execFileSync("xdg-mime", ["query", "default", type], { env: process.env }).toString().trim();

function installOtherPhoneApp(): void {
  const dir = path.join(process.env.XDG_DATA_HOME ?? "", "applications");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "other-phone.desktop"), "[Desktop Entry]\nType=Application\nName=Other\nExec=/bin/true %u\nMimeType=x-scheme-handler/callto;x-scheme-handler/tel;\n");
  for (const type of ["x-scheme-handler/callto", "x-scheme-handler/tel"]) execFileSync("xdg-mime", ["default", "other-phone.desktop", type], { env: process.env });
}

describe("links on Linux", () => {
  it("takes links for an AppImage with an entry of its own, keeps a later choice of another app, and gives the links back", async () => {
    await start({ platform: "linux", env: { APPIMAGE: "/home/u/Apps/Caller-Desktop.AppImage" } });
    installOtherPhoneApp();

    // The user chooses Caller (a change): an entry named like the app, running the AppImage.
    await expect(shell().setLinkHandler(true, "change")).resolves.toEqual({ state: "registered", detail: null });
    expect(xdgDefault("x-scheme-handler/tel")).toBe(appIdentity.desktopName);
    const entry = path.join(process.env.XDG_DATA_HOME ?? "", "applications", appIdentity.desktopName);
    expect(readFileSync(entry, "utf8")).toContain("Exec=/home/u/Apps/Caller-Desktop.AppImage %u\n");

    // Letting go puts the other app back and says so only once xdg-mime agrees.
    await expect(shell().setLinkHandler(false, "change")).resolves.toEqual({ state: "released", detail: null });
    expect(xdgDefault("x-scheme-handler/callto")).toBe("other-phone.desktop");
    expect(xdgDefault("x-scheme-handler/tel")).toBe("other-phone.desktop");
    expect(existsSync(entry)).toBe(false);
  }, 120_000);

  it("a start does not take back links the user gave to another app", async () => {
    await start({ platform: "linux" });
    expect(fake.state.linkStatus).toEqual({ state: "registered", detail: null });
    expect(xdgDefault("x-scheme-handler/callto")).toBe(appIdentity.desktopName);

    installOtherPhoneApp();
    await start({ platform: "linux", restart: true });
    expect(fake.state.linkStatus).toEqual({ state: "released", detail: null });
    expect(xdgDefault("x-scheme-handler/callto")).toBe("other-phone.desktop");
  }, 120_000);
});

describe("links on macOS", () => {
  it("takes the links at the first start and not again once the user chose FaceTime", async () => {
    await start({ platform: "darwin" });
    expect(fake.state.linkStatus).toEqual({ state: "registered", detail: null });
    expect(fake.state.macHandlers.get("tel")).toBe("us");

    // System Settings, or FaceTime itself, makes FaceTime the tel: handler.
    fake.state.macHandlers.set("tel", "com.apple.FaceTime");
    await start({ platform: "darwin", restart: true });
    expect(fake.state.macHandlers.get("tel")).toBe("com.apple.FaceTime");
    expect(fake.state.linkStatus).toEqual({ state: "released", detail: null });
  });

  it("refreshes links it still holds at start", async () => {
    await start({ platform: "darwin" });
    await start({ platform: "darwin", restart: true });
    expect(fake.state.linkStatus).toEqual({ state: "registered", detail: null });
    expect(fake.state.log.filter((line) => line.startsWith("setAsDefaultProtocolClient"))).toEqual(["setAsDefaultProtocolClient callto", "setAsDefaultProtocolClient tel"]);
  });
});

describe("links on Windows", () => {
  it("reports registered only when Windows' UserChoice names Caller Desktop", async () => {
    fake.reset({ platform: "win32" });
    fake.setUserChoice("tel", "TelephonyApp.tel");
    await start({ platform: "win32", restart: true });
    expect(fake.state.linkStatus?.state).toBe("failed");
    expect(fake.state.linkStatus?.detail).toContain("Default apps");

    fake.setUserChoice("tel", "CallerDesktop.tel");
    await expect(shell().setLinkHandler(true, "change")).resolves.toEqual({ state: "registered", detail: null });
  });

  it("does not claim to have let go while Windows still opens links with Caller Desktop", async () => {
    fake.reset({ platform: "win32" });
    fake.setUserChoice("callto", "CallerDesktop.callto");
    fake.setUserChoice("tel", "CallerDesktop.tel");
    await start({ platform: "win32", restart: true });
    expect(fake.state.linkStatus).toEqual({ state: "registered", detail: null });
    await expect(shell().setLinkHandler(false, "change")).rejects.toMatchObject({ code: "os_refused" });

    fake.setUserChoice("callto", "Other.callto");
    fake.setUserChoice("tel", "Other.tel");
    await expect(shell().setLinkHandler(false, "change")).resolves.toEqual({ state: "released", detail: null });
  });
});
