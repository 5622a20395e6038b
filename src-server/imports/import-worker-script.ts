import { existsSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

let bundled: Promise<URL> | undefined;

/**
 * Where the import worker's bundle is. The built server has it beside its own
 * bundle (dist/server/import-worker.mjs, made by scripts/build.mjs). Run from
 * source (vitest) there is only the TypeScript entry, which a worker thread
 * cannot load: it is bundled once per process into node_modules/.cache with
 * esbuild, a development dependency the built server never reaches.
 */
export function importWorkerScript(): Promise<URL> {
  const sibling = new URL("./import-worker.mjs", import.meta.url);
  if (existsSync(fileURLToPath(sibling))) return Promise.resolve(sibling);
  bundled ??= bundleFromSource();
  return bundled;
}

async function bundleFromSource(): Promise<URL> {
  const entry = fileURLToPath(new URL("./import-worker.ts", import.meta.url));
  if (!existsSync(entry)) throw new Error(`no import-worker.mjs beside ${fileURLToPath(import.meta.url)}: run node scripts/build.mjs`);
  // Inside the project, so the bundle's bare imports resolve to its node_modules.
  const outfile = fileURLToPath(new URL("../../node_modules/.cache/caller-server/import-worker.mjs", import.meta.url));
  const { build } = await import("esbuild");
  const result = await build({ entryPoints: [entry], bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", write: false, outfile, logLevel: "error" });
  const code = result.outputFiles.find((file) => file.path.endsWith(".mjs"));
  if (code === undefined) throw new Error("esbuild made no import-worker.mjs");
  // Other test processes may be loading the same file: it is replaced whole, never seen half-written.
  await mkdir(dirname(outfile), { recursive: true });
  const partial = `${outfile}.${process.pid}`;
  await writeFile(partial, code.contents);
  await rename(partial, outfile);
  return pathToFileURL(outfile);
}
