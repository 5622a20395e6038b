// One build for everything that runs: renderer (Vite), Node host, server and
// Electron main/preload (esbuild). Node bundles keep npm packages external.
import { build as esbuild } from "esbuild";
import { build as viteBuild } from "vite";
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { gzipSync } from "node:zlib";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);
const started = performance.now();

const node = {
  bundle: true,
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
  define: { "process.env.CALLER_VERSION": JSON.stringify(version) },
};

const jobs = [];
if (want("renderer")) jobs.push(viteBuild({ configFile: new URL("../vite.config.ts", import.meta.url).pathname, logLevel: "warn" }));
if (want("host")) {
  // Chunk names carry hashes: last build's would pile up.
  rmSync(new URL("../dist/main/host-chunks", import.meta.url), { recursive: true, force: true });
  // Start-up is module loading: npm packages bundled in (one file to read and parse instead of
  // hundreds resolved one by one) start the host about 0.5 s sooner. knex keeps its own dynamic
  // requires of dialects and the SQLite driver is native: those stay external.
  jobs.push(
    esbuild({
      ...node,
      packages: undefined,
      external: ["knex", "better-sqlite3", "sqlite3"],
      // Bundled CommonJS (ws) calls require for Node's own modules.
      banner: { js: 'import { createRequire as __hostRequire } from "node:module"; const require = __hostRequire(import.meta.url);' },
      format: "esm",
      // The core (store, sync: knex) is a chunk of its own, imported once the host serves the page.
      splitting: true,
      entryPoints: [{ in: "src-main/host/host-main.ts", out: "host" }],
      outdir: "dist/main",
      chunkNames: "host-chunks/[name]-[hash]",
      outExtension: { ".js": ".mjs" },
    }),
  );
  // What a callto:/tel: link runs (the .desktop entry's Exec): forwards it to the running host.
  jobs.push(esbuild({ ...node, format: "esm", entryPoints: ["src-main/host/open-link-main.ts"], outfile: "dist/main/open-link.mjs" }));
}
if (want("server")) {
  jobs.push(esbuild({ ...node, format: "esm", entryPoints: ["src-server/main.ts"], outfile: "dist/server/server.mjs" }));
  // The server's writer thread, loaded from beside server.mjs (src-server/db/writer/worker-writer.ts).
  jobs.push(esbuild({ ...node, format: "esm", entryPoints: ["src-server/db/writer/writer-worker.ts"], outfile: "dist/server/writer-worker.mjs" }));
  // Tariff and contact files parsed off the server's event loop, loaded from beside server.mjs and operator.mjs (src-server/imports/import-worker-script.ts).
  jobs.push(esbuild({ ...node, format: "esm", entryPoints: ["src-server/imports/import-worker.ts"], outfile: "dist/server/import-worker.mjs" }));
  // Runs beside each Asterisk in scale mode: MixMonitor's files to the servers over HTTP (docs/scale-recordings.md).
  jobs.push(esbuild({ ...node, format: "esm", entryPoints: ["src-server/recordings/shipper/shipper-main.ts"], outfile: "dist/server/recording-shipper.mjs" }));
  // The operator's command line (npm run operator), on the server host against the same database.
  jobs.push(esbuild({ ...node, format: "esm", entryPoints: ["src-server/operator-cli.ts"], outfile: "dist/server/operator.mjs" }));
}
if (want("electron")) {
  jobs.push(esbuild({ ...node, format: "cjs", entryPoints: ["src-main/electron/main.ts"], outfile: "dist/main/electron-main.cjs", external: ["electron"] }));
  // Sandboxed preloads may require only "electron": bundle everything else in.
  jobs.push(esbuild({ ...node, packages: undefined, external: ["electron"], format: "cjs", entryPoints: ["src-main/electron/preload.ts"], outfile: "dist/main/preload.cjs" }));
}
await Promise.all(jobs);
if (want("renderer")) reportRendererSize();
console.log(`build: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);

/** The renderer's size as a user downloads it: the first paint (index.html's entry and its CSS) and each lazy chunk, gzipped. */
function reportRendererSize() {
  const dir = new URL("../dist/renderer/assets/", import.meta.url);
  const html = readFileSync(new URL("../dist/renderer/index.html", import.meta.url), "utf8");
  const files = readdirSync(dir).filter((f) => /\.(js|css)$/.test(f));
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
  let first = 0;
  let all = 0;
  const rows = files.map((file) => {
    const raw = readFileSync(new URL(file, dir));
    const gzip = gzipSync(raw, { level: 9 }).length;
    const initial = html.includes(file);
    all += gzip;
    if (initial) first += gzip;
    return { file, raw: raw.length, gzip, initial };
  });
  rows.sort((a, b) => b.gzip - a.gzip);
  for (const row of rows) console.log(`renderer: ${row.initial ? "first paint" : "lazy      "}  ${kb(row.gzip).padStart(9)} gzip  ${kb(row.raw).padStart(9)}  ${row.file}`);
  console.log(`renderer: first paint ${kb(first)} gzip, everything ${kb(all)} gzip`);
}
