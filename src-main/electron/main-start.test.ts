import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { appIdentity } from "./app-identity";

// How `npm start` starts the shell under Electron, traced through the code the
// real start runs: scripts/start.sh's Electron command, the folder
// scripts/electron-app.mjs stages, Electron's own app-path and naming rules (in
// the fake), then main.ts.
const fake = await vi.hoisted(async () => (await import("./fake-electron")).createFakeElectron());
vi.mock("electron", () => fake.electron);
vi.mock("../core/create-core", () => ({ createCore: fake.createCore }));
// Each test imports main.ts afresh (its whole module graph) and works on real files and
// real xdg-mime runs; on a loaded CI machine that alone can take more than Vitest's 5 s.
vi.setConfig({ testTimeout: 30_000 });

const repo = path.resolve(__dirname, "..", "..");
// @ts-expect-error: a plain .mjs script without types
const { stageApp } = (await import("../../scripts/electron-app.mjs")) as { stageApp: (options: { root: string; out?: string; withModules?: boolean }) => { out: string } };

/** The argument scripts/start.sh gives Electron. */
function startShArgument(): string {
  const script = readFileSync(path.join(repo, "scripts", "start.sh"), "utf8");
  const match = /node_modules\/\.bin\/electron"?\s+(\S+)/.exec(script);
  if (!match?.[1]) throw new Error("scripts/start.sh does not start Electron");
  return match[1];
}

/** A checkout after `npm run build`: the real package.json, a bundle that requires what the shell's does, a renderer page. */
function builtCheckout(): string {
  const root = path.join(fake.scratch, `checkout-${Math.random().toString(36).slice(2)}`);
  mkdirSync(path.join(root, "dist", "main"), { recursive: true });
  mkdirSync(path.join(root, "dist", "renderer"), { recursive: true });
  writeFileSync(path.join(root, "package.json"), readFileSync(path.join(repo, "package.json")));
  writeFileSync(path.join(root, "dist", "main", "electron-main.cjs"), 'require("knex"); require("zod"); require("libphonenumber-js/max");\n');
  writeFileSync(path.join(root, "dist", "main", "preload.cjs"), "// preload\n");
  writeFileSync(path.join(root, "dist", "renderer", "index.html"), "<!doctype html><title>staged page</title>");
  symlinkSync(path.join(repo, "node_modules"), path.join(root, "node_modules"), "dir");
  return root;
}

async function start(options: Parameters<typeof fake.reset>[0]) {
  fake.reset(options);
  vi.resetModules();
  await import("./main");
  fake.state.resolveReady();
  // On Linux the start takes the links through xdg-mime (a shell script per query).
  await vi.waitFor(() => expect(fake.state.windows.length > 0 || fake.state.exitCode !== null).toBe(true), { timeout: 30_000 });
}

afterEach(() => {
  vi.unstubAllEnvs();
  fake.restoreProcess();
});

describe("npm start under Electron", () => {
  it("runs the staged app as a packaged one: app path, preload and renderer are the staged app's", async () => {
    const root = builtCheckout();
    const { out } = stageApp({ root, withModules: false });
    // The staged app gets its modules from `npm run electron:app`; here the checkout's stand in.
    symlinkSync(path.join(root, "node_modules"), path.join(out, "node_modules"), "dir");

    await start({ platform: "darwin", launch: { kind: "electron", arg: startShArgument(), cwd: root } });

    expect(fake.electron.app.getAppPath()).toBe(out);
    const preload = fake.state.windows[0]?.options.webPreferences?.preload;
    expect(preload).toBe(path.join(out, "dist", "main", "preload.cjs"));
    expect(existsSync(preload ?? "")).toBe(true);
    expect(fake.state.log).toContain("loadURL app://caller/index.html");
    const page = await fake.state.protocols.get("app")!(new Request("app://caller/index.html"));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("staged page");
  });

  it("names the app and its data folder whether Electron got the app's folder or only the bundle", async () => {
    const root = builtCheckout();
    const { out } = stageApp({ root, withModules: false });
    symlinkSync(path.join(root, "node_modules"), path.join(out, "node_modules"), "dir");
    for (const arg of [path.join(out), path.join(out, "dist", "main", "electron-main.cjs")]) {
      await start({ platform: "linux", launch: { kind: "electron", arg, cwd: root } });
      expect(fake.electron.app.getName()).toBe("Caller Desktop");
      expect(fake.electron.app.getPath("userData")).toBe(path.join(fake.state.appDataDir, "caller-desktop"));
      expect(fake.state.desktopName).toBe(appIdentity.desktopName);
      expect(fake.state.windows[0]?.options.webPreferences?.preload).toBe(path.join(out, "dist", "main", "preload.cjs"));
      await fake.state.protocols.get("app")!(new Request("app://caller/index.html")).then((page) => expect(page.status).toBe(200));
    }
  }, 60_000);

  it("stops with what to run when the store driver is Node's build, not Electron's", async () => {
    const electronAbi = readFileSync(path.join(repo, "node_modules", "electron", "abi_version"), "utf8").trim();
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    // The checkout's node_modules hold the Node build (the tests' and the Node host's).
    await start({ platform: "darwin", launch: { kind: "electron", arg: path.join(repo, "dist", "main", "electron-main.cjs") }, modules: electronAbi });

    expect(fake.state.exitCode).toBe(1);
    const shown = fake.state.log.find((line) => line.startsWith("showErrorBox "));
    expect(shown).toContain(`runs ABI ${electronAbi}`);
    expect(shown).toContain("npm run electron:app");
    expect(shown).not.toContain("was compiled against a different Node.js version");
    expect(fake.state.log).not.toContain("createCore");
    expect(fake.state.windows).toHaveLength(0);
  });
});

describe("the app's identity at start", () => {
  it("gives Windows the installer's AppUserModelID before any window", async () => {
    await start({ platform: "win32" });
    expect(fake.state.appUserModelId).toBe(appIdentity.appId);
    expect(fake.state.log.indexOf(`setAppUserModelId ${appIdentity.appId}`)).toBeLessThan(fake.state.log.indexOf("new BrowserWindow"));
  });

  it("binds global shortcuts on Wayland, where the portal wants a reverse-DNS app id", async () => {
    const root = builtCheckout();
    const { out } = stageApp({ root, withModules: false });
    symlinkSync(path.join(root, "node_modules"), path.join(out, "node_modules"), "dir");
    // The bundle alone, as `electron dist/main/electron-main.cjs` used to start it: Electron's name for it is electron.desktop.
    await start({ platform: "linux", launch: { kind: "electron", arg: path.join(out, "dist", "main", "electron-main.cjs") }, env: { XDG_SESSION_TYPE: "wayland" } });
    expect(fake.state.hotkeyProblems).toEqual([]);
    expect(fake.state.shortcuts.size).toBeGreaterThan(0);
  }, 60_000);
});
