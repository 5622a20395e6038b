// Start → dialer ready (cold and warm) and idle memory of the Node host and the
// renderer, against a bare page in the same Chromium as the baseline.
// Run: npm run bench -- app-start   (needs `npm run build` first)
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { chromium as playwright } from "playwright-core";
import { startChromium } from "../e2e/support/chromium";
import { startHostProcess, startServerProcess } from "../e2e/support/app";
import { formatTable, median } from "./run";
import { mb, pssBytes } from "./proc-memory";
import { rendererSize } from "./renderer-size";

/** Warm starts per round, and rounds: each round's ratio is of its own medians, so a busy neighbour in one round does not decide the result. */
const warmRuns = 5;
const rounds = 3;
const targetRatio = 4;
const targetPssMb = 200;

const load = () => loadavg().map((n) => n.toFixed(2)).join(" ");
console.log(`load average at the start: ${load()}`);
const dir = mkdtempSync(join(tmpdir(), "caller-bench-start-"));
const chromiumProcess = await startChromium();
const browser = await playwright.connectOverCDP(chromiumProcess.wsEndpoint);
const context = await browser.newContext({ locale: "en-US" });
const cdp = await browser.newBrowserCDPSession();
const server = await startServerProcess(dir);

const rendererPids = async () => {
  const info = (await cdp.send("SystemInfo.getProcessInfo")) as { processInfo: { type: string; id: number }[] };
  return new Set(info.processInfo.filter((p) => p.type === "renderer").map((p) => p.id));
};
const newRendererPss = async (before: Set<number>) => [...(await rendererPids())].filter((pid) => !before.has(pid)).reduce((sum, pid) => sum + pssBytes(pid), 0);
const idle = () => new Promise((resolve) => setTimeout(resolve, 3000));

// Baseline: the smallest page that shows a number field, served from Node on loopback.
const bare = createServer((_req, res) => {
  res.writeHead(200, { "content-type": "text/html" });
  res.end('<!doctype html><input data-testid="dial-number">');
});
await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve));
const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;

/** On the page's own clock, from its navigation start: less noisy than the wall clock above, which also counts polling and process spawns. */
const pageClock = {
  // The bare page's field exists once its document is parsed.
  // (A string: this file's types are Node's, whose performance has no navigation entries.)
  bare: 'performance.getEntriesByType("navigation")[0]?.domContentLoadedEventEnd ?? NaN',
  // Marked by fieldWatch as the field is added (the app's bundle carries no bench code).
  app: () => performance.getEntriesByName("caller:dialer")[0]?.startTime ?? Number.NaN,
};

/** Runs in the page before its own scripts: marks the moment the number field is added to the document. */
function fieldWatch(): void {
  const seen = () => {
    if (!document.querySelector("[data-testid=dial-number]")) return false;
    performance.mark("caller:dialer");
    return true;
  };
  const observer = new MutationObserver(() => {
    if (seen()) observer.disconnect();
  });
  observer.observe(document, { childList: true, subtree: true });
}

/** Page load only; with `measure`, also the new renderer's PSS after it idles. */
async function barePage(measure: boolean): Promise<{ ms: number; pageMs: number; pss: number }> {
  const before = await rendererPids();
  const page = await context.newPage();
  const started = performance.now();
  await page.goto(bareUrl);
  await page.getByTestId("dial-number").waitFor();
  const ms = performance.now() - started;
  const pageMs = await page.evaluate<number>(pageClock.bare);
  const pss = measure ? (await idle(), await newRendererPss(before)) : 0;
  await page.close();
  return { ms, pageMs, pss };
}

/** Host process spawned → number field visible; with `measure`, host and renderer PSS after they idle. */
async function appStart(measure: boolean): Promise<{ ms: number; pageMs: number; hostPss: number; rendererPss: number }> {
  const before = await rendererPids();
  const started = performance.now();
  const host = await startHostProcess(server.url, dir, ["--sign-in", "admin@demo.example:demo-admin"]);
  const page = await context.newPage();
  await page.addInitScript(fieldWatch);
  try {
    await page.goto(await host.launchUrl());
    await page.getByTestId("dial-number").waitFor();
    const ms = performance.now() - started;
    const pageMs = await page.evaluate(pageClock.app);
    if (!measure) return { ms, pageMs, hostPss: 0, rendererPss: 0 };
    await idle();
    return { ms, pageMs, hostPss: pssBytes(host.child.pid!), rendererPss: await newRendererPss(before) };
  } finally {
    await page.close();
    await host.stop();
  }
}

await barePage(false);
const cold = (await appStart(false)).ms;
const results = [];
for (let round = 1; round <= rounds; round += 1) {
  const bareTimes: number[] = [];
  const appTimes: number[] = [];
  const barePageTimes: number[] = [];
  const appPageTimes: number[] = [];
  // Alternating, so load on the machine falls on both alike.
  for (let i = 0; i < warmRuns; i += 1) {
    const bareRun = await barePage(false);
    const appRun = await appStart(false);
    bareTimes.push(bareRun.ms);
    appTimes.push(appRun.ms);
    barePageTimes.push(bareRun.pageMs);
    appPageTimes.push(appRun.pageMs);
  }
  const app = await appStart(true);
  const bareMemory = await barePage(true);
  const base = median(bareTimes);
  const warm = median(appTimes);
  const pageRatio = median(appPageTimes) / median(barePageTimes);
  results.push({ round, base, warm, ratio: warm / base, barePage: median(barePageTimes), appPage: median(appPageTimes), pageRatio, hostPss: app.hostPss, rendererPss: app.rendererPss, barePss: bareMemory.pss, load: load() });
}

const ratio = median(results.map((r) => r.ratio));
const pss = median(results.map((r) => r.hostPss + r.rendererPss));
console.log(`\nstart → dialer ready (host process spawned → number field visible in Chromium), ${rounds} rounds of ${warmRuns} warm starts`);
console.log(`first launch (cold, signs in): ${cold.toFixed(0)} ms`);
console.log(
  formatTable(
    ["round", "bare page ms", "app warm ms", "× bare page", "page clock: bare ms", "app ms", "×", "host PSS MB", "app renderer PSS MB", "bare renderer PSS MB", "load average"],
    results.map((r) => [String(r.round), r.base.toFixed(0), r.warm.toFixed(0), r.ratio.toFixed(2), r.barePage.toFixed(0), r.appPage.toFixed(0), r.pageRatio.toFixed(2), mb(r.hostPss), mb(r.rendererPss), mb(r.barePss), r.load]),
  ),
);
// PSS splits the pages Chromium's processes share among them: what the machine actually spends on this one.
console.log(`target: warm ≤ ${targetRatio}× the bare page (median of rounds) → ${ratio <= targetRatio ? "met" : "NOT met"} (${ratio.toFixed(2)}×)`);
console.log(`page clock (navigation start → number field, no process spawn): ${median(results.map((r) => r.pageRatio)).toFixed(2)}× the bare page (median of rounds)`);
console.log(`target: host + app renderer ≤ ${targetPssMb} MB PSS idle (median of rounds) → ${pss <= targetPssMb * 1024 * 1024 ? "met" : "NOT met"} (${mb(pss)} MB)`);
const size = rendererSize();
console.log(`renderer bundle: first paint ${(size.firstPaint / 1024).toFixed(1)} kB gzip, everything ${(size.all / 1024).toFixed(1)} kB gzip`);

await context.close();
await browser.close();
await new Promise<void>((resolve) => bare.close(() => resolve()));
await server.stop();
await chromiumProcess.stop();
rmSync(dir, { recursive: true, force: true });
