import { readFileSync } from "node:fs";
import path from "node:path";

export interface ShellPaths {
  /** The folder of electron-main.cjs; preload.cjs is built beside it (scripts/build.mjs). */
  bundleDir: string;
  preload: string;
  /** dist/renderer, the only folder app:// serves. */
  rendererDir: string;
}

/**
 * The shell's files, found from Electron's app path. A packaged app and
 * `electron <folder>` set the app path to the folder with package.json
 * (lib/browser/init.ts:148, default_app/main.ts:136), whose `main` is this
 * bundle; `electron <file>` sets it to the file's own folder (default_app/main.ts:143).
 */
export function shellPaths(appPath: string, readText: (file: string) => string = (file) => readFileSync(file, "utf8")): ShellPaths {
  let bundleDir = appPath;
  try {
    const main: unknown = (JSON.parse(readText(path.join(appPath, "package.json"))) as { main?: unknown }).main;
    if (typeof main === "string" && main !== "") bundleDir = path.dirname(path.resolve(appPath, main));
  } catch {
    // No package.json: the app path is the bundle's folder.
  }
  return { bundleDir, preload: path.join(bundleDir, "preload.cjs"), rendererDir: path.resolve(bundleDir, "..", "renderer") };
}
