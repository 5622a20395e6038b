import { build as esbuild } from "esbuild";
import { build as viteBuild, type Rollup } from "vite";
import { describe, expect, it } from "vitest";

// What the window and the host load before the dialer shows must stay small: zod (the API's
// schemas) and knex (the store) once cost the first paint 30 kB gzip and the host about a second.
const heavy = /(^|[\\/])node_modules[\\/](zod|knex)[\\/]/;
// libphonenumber's metadata (about 40 kB gzip) comes with the number rules, just after the first paint.
const numberRules = /(^|[\\/])node_modules[\\/]libphonenumber-js[\\/]/;

/** Every module in the chunks index.html loads up front: the entry chunk and what it imports statically, transitively. */
function firstPaintModules(output: Rollup.OutputBundle | Rollup.RollupOutput["output"]): string[] {
  const chunks = new Map<string, Rollup.OutputChunk>();
  for (const item of Object.values(output)) if (item.type === "chunk") chunks.set(item.fileName, item);
  const entry = [...chunks.values()].find((chunk) => chunk.isEntry);
  if (!entry) throw new Error("the renderer build has no entry chunk");
  const seen = new Set<string>();
  const visit = (fileName: string) => {
    if (seen.has(fileName)) return;
    seen.add(fileName);
    for (const next of chunks.get(fileName)?.imports ?? []) visit(next);
  };
  visit(entry.fileName);
  return [...seen].flatMap((fileName) => chunks.get(fileName)?.moduleIds ?? []);
}

// Screens and panels the idle dialer does not show: loaded on first use (or after the first paint).
const laterParts = [
  "src-renderer/screens/call-screen.tsx",
  "src-renderer/screens/call-outcome.tsx",
  "src-renderer/screens/credits/rate-hint.tsx",
  "src-shared/phone/dial-check.ts",
  "src-renderer/screens/transfer/transfer-control.tsx",
  "src-renderer/screens/transfer/consult-panel.tsx",
  "src-renderer/screens/coaching-notice.tsx",
  "src-renderer/screens/voicemail/voicemail-drop-control.tsx",
  "src-renderer/screens/power-dialer/dial-queue-panel.tsx",
  "src-renderer/screens/inbound/incoming-call-pop.tsx",
  "src-renderer/screens/history/history-view.tsx",
  "src-renderer/screens/crm/crm-panel.tsx",
  "src-renderer/screens/crm/crm-pages.tsx",
  "src-renderer/screens/admin-home.tsx",
  "src-renderer/screens/credits/credits-page.tsx",
  "src-renderer/screens/settings-page.tsx",
  "src-renderer/screens/operator/operator-home.tsx",
];

describe("what loads before the dialer shows", () => {
  it("the renderer's first-paint chunks hold no zod, no knex, no libphonenumber and none of the screens and panels the idle dialer does not show", async () => {
    const built = await viteBuild({
      configFile: new URL("../vite.config.ts", import.meta.url).pathname,
      logLevel: "silent",
      build: { write: false, sourcemap: false, minify: false },
    });
    const output = (Array.isArray(built) ? built[0] : built) as Rollup.RollupOutput;
    const modules = firstPaintModules(output.output);
    // The dialer itself is among them: this checks the chunks a user waits for, not some other.
    expect(modules.some((id) => id.endsWith("src-renderer/screens/dialer.tsx"))).toBe(true);
    expect(modules.filter((id) => heavy.test(id))).toEqual([]);
    // Each of them is in the build, only not up front.
    const all = output.output.flatMap((item) => (item.type === "chunk" ? item.moduleIds : []));
    for (const part of laterParts) expect(all.some((id) => id.endsWith(part)), part).toBe(true);
    expect(modules.filter((id) => laterParts.some((part) => id.endsWith(part)))).toEqual([]);
    expect(modules.filter((id) => numberRules.test(id))).toEqual([]);
  }, 180_000);

  it("the Node host's own file holds no zod and no knex: the page's first answers come before the core's chunk loads", async () => {
    const result = await esbuild({
      bundle: true,
      platform: "node",
      target: "node20",
      format: "esm",
      splitting: true,
      external: ["knex", "better-sqlite3", "sqlite3"],
      entryPoints: [{ in: "src-main/host/host-main.ts", out: "host" }],
      outdir: "dist/first-paint-check",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const outputs = result.metafile.outputs;
    const host = Object.keys(outputs).find((file) => outputs[file]?.entryPoint === "src-main/host/host-main.ts");
    if (!host) throw new Error("esbuild made no host.mjs");
    // host.mjs and the chunks it imports statically (shared code lands in those): what runs before the core's dynamic import.
    const loaded = new Set<string>();
    const visit = (file: string) => {
      if (loaded.has(file)) return;
      loaded.add(file);
      for (const next of outputs[file]?.imports ?? []) if (next.kind === "import-statement" && !next.external) visit(next.path);
    };
    visit(host);
    const inputs = [...loaded].flatMap((file) => Object.keys(outputs[file]?.inputs ?? {}));
    const packages = [...loaded].flatMap((file) => (outputs[file]?.imports ?? []).filter((i) => i.external && i.kind === "import-statement").map((i) => i.path));
    expect(inputs).toContain("src-main/host/early-answers.ts");
    expect(inputs.filter((id) => heavy.test(id))).toEqual([]);
    // knex stays external: it must be imported only by the core's chunk.
    expect(packages).not.toContain("knex");
  });
});
