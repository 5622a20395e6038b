// The desktop app as Electron runs it, in dist/electron-app: its own package.json
// (name, productName, desktopName, `main`), the built shell and renderer, and only
// the packages the shell loads, with better-sqlite3 built for Electron's ABI.
// The repository's node_modules stay built for Node (the tests and the Node host
// use them); see docs/electron-native-store.md for why the store driver is built
// twice instead of swapped. `npm start` runs `electron dist/electron-app`;
// `npm run package` hands the same folder to electron-builder.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const defaultRoot = resolve(here, "..");

/** Packages a CommonJS bundle requires at run time (npm names, no built-ins, no electron). */
export function bundleRequires(bundleText) {
  const names = new Set();
  for (const [, spec] of bundleText.matchAll(/\brequire\("([^"]+)"\)/g)) {
    if (spec.startsWith(".") || spec.startsWith("/") || spec.startsWith("node:") || spec === "electron") continue;
    const parts = spec.split("/");
    const name = spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
    if (builtinModules.includes(name)) continue;
    names.add(name);
  }
  return [...names].sort();
}

// knex requires its client driver by name at run time (src-main/core/store/open-knex.ts), so no bundle shows it.
export const runtimeDrivers = ["better-sqlite3"];

/** The app's package.json: what Electron reads at start (lib/browser/init.ts:129-167) and electron-builder packs. */
export function appPackageJson(rootPackage, dependencies) {
  const versions = { ...rootPackage.dependencies };
  const missing = dependencies.filter((name) => !versions[name]);
  if (missing.length > 0) throw new Error(`electron-app: ${missing.join(", ")} must be dependencies in package.json`);
  return {
    name: rootPackage.name,
    productName: rootPackage.productName,
    version: rootPackage.version,
    description: rootPackage.description,
    desktopName: rootPackage.desktopName,
    main: "dist/main/electron-main.cjs",
    dependencies: Object.fromEntries(dependencies.map((name) => [name, versions[name]])),
    allowScripts: Object.fromEntries(dependencies.filter((name) => rootPackage.allowScripts?.[name]).map((name) => [name, true])),
  };
}

/** Each package `names` needs, with what they need in turn, as folders under root's node_modules (npm's hoisted layout). */
export function dependencyClosure(root, names) {
  const found = new Map();
  const visit = (name, fromDir) => {
    const dir = locatePackage(root, name, fromDir);
    if (!dir) throw new Error(`electron-app: ${name} (needed from ${relative(root, fromDir) || "."}) is not installed; run npm install`);
    if (found.has(dir)) return;
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    found.set(dir, manifest.name);
    for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep, dir);
    // An optional dependency npm skipped (another platform's) is not needed here.
    for (const dep of Object.keys(manifest.optionalDependencies ?? {})) if (locatePackage(root, dep, dir)) visit(dep, dir);
  };
  for (const name of names) visit(name, root);
  return [...found.keys()].sort();
}

/** Node's lookup: node_modules/<name> in the package's own folder, then each parent up to the root. */
function locatePackage(root, name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dir === root || dirname(dir) === dir) return null;
  }
}

/**
 * Writes `out`: package.json, dist/main (bundle and preload, no maps),
 * dist/renderer, and (unless `withModules` is false) node_modules copied from
 * the root's. A native module keeps its Electron build while its version is
 * unchanged, so `npm start` does not rebuild it every time.
 */
export function stageApp({ root = defaultRoot, out = join(root, "dist", "electron-app"), withModules = true } = {}) {
  const rootPackage = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const bundle = join(root, "dist", "main", "electron-main.cjs");
  for (const file of [bundle, join(root, "dist", "main", "preload.cjs"), join(root, "dist", "renderer", "index.html")]) {
    if (!existsSync(file)) throw new Error(`electron-app: ${relative(root, file)} is missing; run \`npm run build\` first`);
  }
  const dependencies = [...new Set([...bundleRequires(readFileSync(bundle, "utf8")), ...runtimeDrivers])].sort();
  const manifest = appPackageJson(rootPackage, dependencies);
  mkdirSync(out, { recursive: true });
  rmSync(join(out, "dist"), { recursive: true, force: true });
  mkdirSync(join(out, "dist", "main"), { recursive: true });
  for (const name of ["electron-main.cjs", "preload.cjs"]) cpSync(join(root, "dist", "main", name), join(out, "dist", "main", name));
  cpSync(join(root, "dist", "renderer"), join(out, "dist", "renderer"), { recursive: true, filter: (source) => !source.endsWith(".map") });
  writeFileSync(join(out, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  if (withModules) copyModules(root, out, dependencies);
  return { out, manifest, dependencies };
}

function copyModules(root, out, dependencies) {
  const wanted = dependencyClosure(root, dependencies);
  const target = (dir) => join(out, relative(root, dir));
  // Packages no longer needed go; a package whose version is unchanged keeps its (possibly Electron) build.
  const keep = new Set(wanted.map(target));
  const staged = join(out, "node_modules");
  if (existsSync(staged)) {
    for (const dir of listPackages(staged)) if (!keep.has(dir)) rmSync(dir, { recursive: true, force: true });
  }
  for (const dir of wanted) {
    const dest = target(dir);
    const version = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, "utf8")).version : null);
    if (version(join(dest, "package.json")) === version(join(dir, "package.json"))) continue;
    rmSync(dest, { recursive: true, force: true });
    // A package's own node_modules holds other packages of the closure, copied on their own.
    const nested = join(dir, "node_modules");
    cpSync(dir, dest, { recursive: true, filter: (source) => source !== nested && !source.startsWith(`${nested}/`) });
  }
}

function listPackages(modulesDir) {
  const result = [];
  const walk = (dir) => {
    for (const entry of safeList(dir)) {
      if (entry.startsWith(".")) continue;
      const path = join(dir, entry);
      if (entry.startsWith("@")) walk(path);
      else {
        result.push(path);
        walk(join(path, "node_modules"));
      }
    }
  };
  walk(modulesDir);
  return result;
}

function safeList(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** The ABI of the running Electron, as its npm package records it. */
export function electronAbi(root = defaultRoot) {
  return Number(readFileSync(join(root, "node_modules", "electron", "abi_version"), "utf8").trim());
}

/** The ABI the staged better-sqlite3 was built for, or null when none is staged. */
export function stagedDriverAbi(out) {
  const binary = join(out, "node_modules", "better-sqlite3", "build", "Release", "better_sqlite3.node");
  if (!existsSync(binary)) return null;
  const match = /node_register_module_v(\d+)/.exec(readFileSync(binary).toString("latin1"));
  return match ? Number(match[1]) : null;
}

/**
 * Rebuilds the staged better-sqlite3 for Electron as Electron's docs describe
 * (docs/tutorial/using-native-node-modules.md): a prebuilt for Electron's ABI
 * from the module's releases (prebuild-install --runtime electron), else a
 * compile against Electron's headers (node-gyp --dist-url=electronjs.org/headers).
 * Both tools run directly, not through npm, so a `nodedir` in ~/.npmrc (Node's
 * headers) cannot turn the build back into a Node one. Both need the network.
 */
export function rebuildForElectron(out, electronVersion) {
  const moduleDir = join(out, "node_modules", "better-sqlite3");
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.toLowerCase().startsWith("npm_config_")) delete env[name];
  const run = (args) => spawnSync(process.execPath, args, { cwd: moduleDir, env, stdio: "inherit" }).status === 0;
  const prebuilt = join(out, "node_modules", "prebuild-install", "bin.js");
  if (existsSync(prebuilt) && run([prebuilt, "--runtime=electron", `--target=${electronVersion}`, `--arch=${process.arch}`, "--verbose"])) return true;
  const nodeGyp = npmNodeGyp();
  if (!nodeGyp) {
    console.error("electron-app: no prebuilt, and npm's node-gyp was not found to compile one");
    return false;
  }
  // Electron's headers apart from Node's (node-gyp's --devdir).
  const devdir = join(process.env.HOME ?? out, ".electron-gyp");
  return run([nodeGyp, "rebuild", "--release", "--runtime=electron", `--target=${electronVersion}`, "--dist-url=https://electronjs.org/headers", `--devdir=${devdir}`]);
}

/** The node-gyp npm ships with (npm runs install scripts with it). */
function npmNodeGyp() {
  const fromEnv = process.env.npm_config_node_gyp;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const root = spawnSync("npm", ["root", "-g"], { encoding: "utf8" }).stdout?.trim();
  const candidate = root ? join(root, "npm", "node_modules", "node-gyp", "bin", "node-gyp.js") : null;
  return candidate && existsSync(candidate) ? candidate : null;
}

async function main() {
  const root = defaultRoot;
  const { out } = stageApp({ root });
  const electronVersion = JSON.parse(readFileSync(join(root, "node_modules", "electron", "package.json"), "utf8")).version;
  const wanted = electronAbi(root);
  if (stagedDriverAbi(out) !== wanted && !rebuildForElectron(out, electronVersion)) {
    console.error(`electron-app: could not build better-sqlite3 for Electron ${electronVersion} (ABI ${wanted}).`);
    console.error("  It needs a prebuilt from github.com or Electron's headers from electronjs.org (and a C++ toolchain to compile).");
    process.exit(2);
  }
  const built = stagedDriverAbi(out);
  if (built !== wanted) {
    console.error(`electron-app: better-sqlite3 in ${relative(root, out)} is built for ABI ${built}, Electron ${electronVersion} needs ${wanted}`);
    process.exit(2);
  }
  console.log(`electron-app: ${relative(root, out)} ready for Electron ${electronVersion} (ABI ${wanted})`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
