import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

/** The built renderer as a user downloads it, gzipped: what the first paint needs (index.html's entry, preloads and CSS) and everything. */
export function rendererSize(rendererDir = "dist/renderer"): { firstPaint: number; all: number } {
  const html = readFileSync(join(rendererDir, "index.html"), "utf8");
  const assets = join(rendererDir, "assets");
  let firstPaint = 0;
  let all = 0;
  for (const file of readdirSync(assets).filter((f) => /\.(js|css)$/.test(f))) {
    const gzip = gzipSync(readFileSync(join(assets, file)), { level: 9 }).length;
    all += gzip;
    if (html.includes(file)) firstPaint += gzip;
  }
  return { firstPaint, all };
}
