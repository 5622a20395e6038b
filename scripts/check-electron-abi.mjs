// CI: the desktop app's better-sqlite3 (dist/electron-app) must be built for the
// ABI of the Electron in node_modules (node_modules/electron/abi_version), or the
// app stops at start. Where an Electron binary is installed, the Electron build
// is expected and made here first; where neither exists, this says so and passes.
import { existsSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultRoot, electronAbi, stagedDriverAbi } from "./electron-app.mjs";

/** True when npm installed Electron's binary (its install step writes path.txt and unpacks dist/). */
export function electronBinaryInstalled(root = defaultRoot) {
  const pathFile = join(root, "node_modules", "electron", "path.txt");
  if (!existsSync(pathFile)) return false;
  return existsSync(join(root, "node_modules", "electron", "dist", readFileSync(pathFile, "utf8").trim()));
}

/** The verdict for one app folder, with the line CI prints. */
export function checkElectronBuild({ root = defaultRoot, out = join(root, "dist", "electron-app"), binaryInstalled = electronBinaryInstalled(root) } = {}) {
  const wanted = electronAbi(root);
  const built = stagedDriverAbi(out);
  const where = relative(root, out) || out;
  if (built === null) {
    if (!binaryInstalled) return { status: "skipped", line: `skipped: no Electron build here (no Electron binary, no ${where}/node_modules/better-sqlite3)` };
    return { status: "missing", line: `FAILED: Electron is installed but ${where} has no better-sqlite3 built for it; run \`npm run electron:app\`` };
  }
  if (built !== wanted) return { status: "mismatch", line: `FAILED: better-sqlite3 in ${where} is built for ABI ${built}; Electron needs ${wanted}. Run \`npm run electron:app\`` };
  return { status: "ok", line: `ok: better-sqlite3 in ${where} is built for Electron's ABI ${wanted}` };
}

async function main() {
  const root = defaultRoot;
  if (electronBinaryInstalled(root)) {
    const { spawnSync } = await import("node:child_process");
    const built = spawnSync(process.execPath, [join(root, "scripts", "electron-app.mjs")], { cwd: root, stdio: "inherit" });
    if (built.status !== 0) console.error("check-electron-abi: building the Electron app failed (above)");
  }
  const verdict = checkElectronBuild({ root });
  console.log(`electron ABI: ${verdict.line}`);
  process.exit(verdict.status === "ok" || verdict.status === "skipped" ? 0 : 1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
