// Bundles each bench/*.ts entry with esbuild and runs it with Node. `npm run bench -- NAME` runs one.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const helpers = new Set(["run", "proc-memory", "renderer-size", "server-under-load"]);
// Names first; from the first --option on, the arguments go to the bench (one bench at a time).
const args = process.argv.slice(2);
const firstOption = args.findIndex((arg) => arg.startsWith("--"));
const wanted = firstOption < 0 ? args : args.slice(0, firstOption);
const benchArgs = firstOption < 0 ? [] : args.slice(firstOption);
const entries = readdirSync("bench")
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
  .map((f) => f.slice(0, -3))
  .filter((name) => !helpers.has(name) && (wanted.length === 0 || wanted.includes(name)));
if (entries.length === 0) {
  console.error(`no benchmark named ${wanted.join(", ")}`);
  process.exit(1);
}
// Inside the project, so the bundles' bare imports resolve to its node_modules.
const out = "dist/bench";
for (const name of entries) {
  const outfile = join(out, `${name}.mjs`);
  await build({ entryPoints: [`bench/${name}.ts`], bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", outfile, logLevel: "warning" });
  console.log(`\n### bench/${name}`);
  execFileSync(process.execPath, [outfile, ...benchArgs], { stdio: "inherit" });
}
