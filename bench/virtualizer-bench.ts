// History with 5,000 rows in real Chromium: @tanstack/react-virtual (what the history screen uses)
// against rendering every row, with the app's HistoryRow and CSS. Time to first render (commit to
// painted) and frame time while scrolling, as ratios in the same run.
// Run: npm run bench -- virtualizer-bench   (needs `node scripts/build.mjs` first: it takes the renderer's CSS)
import { build } from "esbuild";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync, readdirSync } from "node:fs";
import { chromium as playwright } from "playwright-core";
import { startChromium } from "../e2e/support/chromium";
import { formatTable, median } from "./run";

const runs = 3;
const rows = 5000;
const bundle = await build({
  entryPoints: ["bench/pages/history-list-page.tsx"],
  bundle: true,
  write: false,
  format: "esm",
  jsx: "automatic",
  minify: true,
  define: { "process.env.NODE_ENV": '"production"' },
  logLevel: "warning",
});
const script = bundle.outputFiles[0]!.text;
const assets = "dist/renderer/assets/";
const css = readdirSync(assets)
  .filter((f) => f.endsWith(".css"))
  .map((f) => readFileSync(assets + f, "utf8"))
  .join("\n");
const server = createServer((req, res) => {
  if (req.url?.startsWith("/page.js")) {
    res.writeHead(200, { "content-type": "text/javascript" });
    res.end(script);
    return;
  }
  res.writeHead(200, { "content-type": "text/html" });
  res.end(`<!doctype html><html lang="en"><head><style>${css}</style></head><body><div id="root" style="width:1000px"></div><script type="module" src="/page.js"></script></body></html>`);
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

interface Result {
  firstRender: number;
  frameMedian: number;
  frameP95: number;
  domNodes: number;
}
const chromiumProcess = await startChromium();
const browser = await playwright.connectOverCDP(chromiumProcess.wsEndpoint);
const context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
const results: Record<"virtual" | "plain", Result[]> = { virtual: [], plain: [] };
// Alternating, so both see the same machine load; the first pair warms the browser and is dropped.
for (let i = 0; i <= runs; i++) {
  for (const mode of ["virtual", "plain"] as const) {
    const page = await context.newPage();
    page.on("pageerror", (error) => console.error(`${mode} page: ${error.message}`));
    await page.goto(`${url}?mode=${mode}&rows=${rows}`);
    const result = (await page.waitForFunction(() => (window as unknown as { benchResult?: unknown }).benchResult, undefined, { timeout: 180_000 }).then((h) => h.jsonValue())) as Result;
    if (i > 0) results[mode].push(result);
    await page.close();
  }
}
const m = (mode: "virtual" | "plain", key: keyof Result) => median(results[mode].map((r) => r[key]));
console.log(`\nhistory, ${rows.toLocaleString("en")} rows, the app's HistoryRow (medians of ${runs} runs)`);
console.log(
  formatTable(
    ["what", "@tanstack/react-virtual", "every row rendered", "plain ÷ virtual"],
    (["firstRender", "frameMedian", "frameP95"] as const).map((key) => [
      { firstRender: "first render → painted (ms)", frameMedian: "scroll frame, median (ms)", frameP95: "scroll frame, p95 (ms)" }[key],
      m("virtual", key).toFixed(1),
      m("plain", key).toFixed(1),
      (m("plain", key) / m("virtual", key)).toFixed(2),
    ]).concat([["DOM elements", m("virtual", "domNodes").toFixed(0), m("plain", "domNodes").toFixed(0), (m("plain", "domNodes") / m("virtual", "domNodes")).toFixed(1)]]),
  ),
);

await context.close();
await browser.close();
await chromiumProcess.stop();
await new Promise<void>((resolve) => server.close(() => resolve()));
