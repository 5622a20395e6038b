import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { nativeModuleAbi, storeDriverBinary } from "./native-abi";
import { shellPaths } from "./shell-paths";

type Platform = "linux" | "darwin" | "win32";
interface ProcessOptions {
  platform?: Platform;
  defaultApp?: boolean;
  argv?: string[];
  modules?: string;
}
export interface LaunchIdentity {
  appName: string;
  desktopName: string;
  appPath: string;
  process: ProcessOptions;
}

// How the fake Electron is launched and what it reads from the desktop: the app
// folder, the environment it isolates, and the names Electron derives.

/** How Electron was started: `electron <arg>` (development) or an installed app whose resources hold `appDir`. */
export type FakeLaunch = { kind: "electron"; arg: string; cwd?: string } | { kind: "packaged"; appDir: string };

export interface FakeImage {
  bitmap: Buffer;
  width: number;
  height: number;
  scaleFactor: number;
}

const repoRoot = path.resolve(__dirname, "..", "..");

/** What the shell reads from the desktop; each reset points them into a fresh folder, never the real user's. */
export const isolatedEnv = ["HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_DATA_DIRS", "XDG_SESSION_TYPE", "DBUS_SESSION_BUS_ADDRESS", "APPIMAGE"] as const;

/** lib/browser/desktop-name.ts: the name Electron falls back to when package.json has no desktopName. */
export function defaultDesktopName(name: string, execPath = "electron"): string {
  const slug = name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug ? `${slug}.desktop` : `${path.basename(execPath)}.desktop`;
}

/** A reverse-DNS app id, which the GlobalShortcuts portal requires (docs/api/global-shortcut.md, "Usage on Linux"). */
export function isReverseDns(desktopName: string): boolean {
  return /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)+$/.test(desktopName.replace(/\.desktop$/, ""));
}

/** An app folder as scripts/electron-app.mjs stages it, with `node_modules` linked to the repository's (built for Node). */
export function makeAppDir(parent: string, options: { packageJson?: Record<string, unknown> | null; rendererIndex?: string } = {}): string {
  const dir = mkdtempSync(path.join(parent, "app-"));
  mkdirSync(path.join(dir, "dist", "main"), { recursive: true });
  mkdirSync(path.join(dir, "dist", "renderer"), { recursive: true });
  writeFileSync(path.join(dir, "dist", "main", "electron-main.cjs"), "// the shell's bundle\n");
  writeFileSync(path.join(dir, "dist", "main", "preload.cjs"), "// the preload\n");
  writeFileSync(path.join(dir, "dist", "renderer", "index.html"), options.rendererIndex ?? "<!doctype html><title>Caller</title>");
  const packageJson = options.packageJson === undefined ? (JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as Record<string, unknown>) : options.packageJson;
  if (packageJson) writeFileSync(path.join(dir, "package.json"), JSON.stringify({ ...packageJson, main: "dist/main/electron-main.cjs" }));
  symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

/** Sets up how Electron was launched, as init.ts and default_app do it: the app path, name and desktop name. */
export function launchIdentity(launch: FakeLaunch, appName: string): LaunchIdentity {
  const identity = { appName, desktopName: "", appPath: "" };
  const readPackage = (dir: string) => {
    const file = path.join(dir, "package.json");
    return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { name?: string; productName?: string; desktopName?: string }) : null;
  };
  const applyPackage = (pkg: { name?: string; productName?: string; desktopName?: string }) => {
    identity.appName = pkg.productName ?? pkg.name ?? identity.appName;
    identity.desktopName = pkg.desktopName || defaultDesktopName(identity.appName);
  };
  if (launch.kind === "packaged") {
    // lib/browser/init.ts:100-148: resources/app(.asar)/package.json.
    const pkg = readPackage(launch.appDir);
    if (!pkg) throw new Error(`no package.json in ${launch.appDir}`);
    applyPackage(pkg);
    return { ...identity, appPath: launch.appDir, process: { defaultApp: false, argv: [path.join(launch.appDir, "..", "..", "caller-desktop")] } };
  }
  // default_app's own package.json first ("Electron"), then the app's (default_app/main.ts:90-143).
  applyPackage({ productName: "Electron" });
  const packagePath = path.resolve(launch.cwd ?? process.cwd(), launch.arg);
  const pkg = readPackage(packagePath);
  if (pkg) {
    applyPackage(pkg);
    identity.appPath = packagePath;
  } else {
    identity.appPath = path.dirname(packagePath);
  }
  return { ...identity, process: { defaultApp: true, argv: ["/opt/electron/electron", launch.arg] } };
}

/** `process` as the fake Electron sets it per launch, and puts back afterwards. */
export function fakeProcess() {
  const original = {
    platform: process.platform,
    argv: process.argv,
    defaultApp: Object.getOwnPropertyDescriptor(process, "defaultApp"),
    versions: process.versions,
    env: Object.fromEntries(isolatedEnv.map((name) => [name, process.env[name]])),
  };
  function set(options: ProcessOptions): void {
    if (options.platform) Object.defineProperty(process, "platform", { value: options.platform, configurable: true });
    if (options.defaultApp !== undefined) Object.defineProperty(process, "defaultApp", { value: options.defaultApp, configurable: true, writable: true });
    if (options.argv) process.argv = options.argv;
    if (options.modules) Object.defineProperty(process, "versions", { value: { ...original.versions, modules: options.modules, electron: "45.4.1" }, configurable: true });
  }

  /** Puts back what reset() changed on `process`. */
  function restore(): void {
    Object.defineProperty(process, "platform", { value: original.platform, configurable: true });
    if (original.defaultApp) Object.defineProperty(process, "defaultApp", original.defaultApp);
    else delete (process as { defaultApp?: boolean }).defaultApp;
    process.argv = original.argv;
    Object.defineProperty(process, "versions", { value: original.versions, configurable: true });
    for (const [name, value] of Object.entries(original.env)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  return { set, restore };
}

/** A home of its own: xdg-mime, autostart and dbus-send see only this (no session bus: its address leads nowhere). */
export function isolateDesktop(scratch: string): Record<string, string> {
  const home = mkdtempSync(path.join(scratch, "home-"));
  mkdirSync(path.join(home, "config"), { recursive: true });
  const env = {
    HOME: home,
    XDG_DATA_HOME: path.join(home, "data"),
    XDG_CONFIG_HOME: path.join(home, "config"),
    XDG_DATA_DIRS: path.join(home, "system"),
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(home, "no-bus")}`,
  };
  Object.assign(process.env, env);
  delete process.env.XDG_SESSION_TYPE;
  delete process.env.APPIMAGE;
  return env;
}

/** The core loads its native store driver the way Node does: an addon built for another NODE_MODULE_VERSION fails with Node's own message. */
export function loadStoreDriver(appPath: string): void {
  const binary = storeDriverBinary(shellPaths(appPath).bundleDir);
  if (binary === null || !existsSync(binary)) throw new Error("Cannot find module 'better-sqlite3'");
  const builtFor = nativeModuleAbi(readFileSync(binary));
  const running = Number(process.versions.modules);
  if (builtFor !== null && builtFor !== running) {
    // Node's message (docs/tutorial/using-native-node-modules.md).
    throw new Error(
      `The module '${binary}'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION ${builtFor}. This version of Node.js requires\nNODE_MODULE_VERSION ${running}. Please try re-compiling or re-installing\nthe module (for instance, using \`npm rebuild\` or \`npm install\`).`,
    );
  }
}
