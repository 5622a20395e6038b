// Import cycles among a folder's TypeScript files, type-only imports included (they tie modules
// together for a reader as much as runtime ones). Prints each strongly connected group of files
// and the number of elementary cycles through them. Usage: node scripts/import-cycles.mjs src-main/core
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const root = resolve(process.argv[2] ?? "src-main/core");
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) files.push(path);
  }
};
walk(root);
const known = new Set(files);
const resolveImport = (from, spec) => {
  if (!spec.startsWith(".")) return null;
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts")]) if (known.has(candidate)) return candidate;
  return null;
};
const edges = new Map(
  files.map((file) => {
    const text = readFileSync(file, "utf8");
    const specs = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]);
    return [file, [...new Set(specs.map((s) => resolveImport(file, s)).filter((f) => f !== null))]];
  }),
);

// Tarjan's strongly connected components.
let index = 0;
const stack = [];
const info = new Map();
const groups = [];
const visit = (v) => {
  info.set(v, { index, low: index, onStack: true });
  index += 1;
  stack.push(v);
  for (const w of edges.get(v)) {
    if (!info.has(w)) {
      visit(w);
      info.get(v).low = Math.min(info.get(v).low, info.get(w).low);
    } else if (info.get(w).onStack) info.get(v).low = Math.min(info.get(v).low, info.get(w).index);
  }
  if (info.get(v).low === info.get(v).index) {
    const group = [];
    let w;
    do {
      w = stack.pop();
      info.get(w).onStack = false;
      group.push(w);
    } while (w !== v);
    if (group.length > 1 || edges.get(v).includes(v)) groups.push(group);
  }
};
for (const file of files) if (!info.has(file)) visit(file);

// Elementary cycles inside each group, each counted once from its smallest file (capped: a big tangle is reported as such).
const countCycles = (group) => {
  const inGroup = new Set(group);
  const order = [...group].sort();
  let count = 0;
  for (const [i, start] of order.entries()) {
    const allowed = new Set(order.slice(i));
    const path = new Set([start]);
    const dfs = (v) => {
      for (const w of edges.get(v)) {
        if (!inGroup.has(w) || !allowed.has(w)) continue;
        if (w === start) count += 1;
        else if (!path.has(w) && count < 10_000) {
          path.add(w);
          dfs(w);
          path.delete(w);
        }
      }
    };
    dfs(start);
  }
  return count;
};

for (const group of groups) {
  console.log(`${group.length} files, ${countCycles(group)} cycles:`);
  for (const file of group.sort()) console.log(`  ${relative(process.cwd(), file)}`);
}
console.log(`${groups.length} cyclic group(s) in ${relative(process.cwd(), root) || "."}`);
process.exitCode = groups.length === 0 ? 0 : 1;
