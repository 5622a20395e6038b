// Where the page's time goes between navigation start and the number field: a browser trace
// with V8's sampling profiler over several warm starts, summed by function and by script.
// Run: npm run bench -- app-start-profile [--runs N]   (needs `npm run build` first)
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { chromium as playwright } from "playwright-core";
import { startChromium } from "../e2e/support/chromium";
import { startHostProcess, startServerProcess } from "../e2e/support/app";
import { formatTable, median } from "./run";

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  ts: number;
  dur?: number;
  id?: string;
  args?: { data?: { cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] }; timeDeltas?: number[]; startTime?: number; url?: string } };
}
interface ProfileNode {
  id: number;
  callFrame: { functionName?: string; url?: string; lineNumber?: number };
  parent?: number;
}

const runsFlag = process.argv.indexOf("--runs");
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 5;
/** How long after the field the page runs on before its marks are read: the first sync and the history read land by then. */
const marksSettleMs = 3000;
const dir = mkdtempSync(join(tmpdir(), "caller-bench-profile-"));
const chromiumProcess = await startChromium();
const browser = await playwright.connectOverCDP(chromiumProcess.wsEndpoint);
const context = await browser.newContext({ locale: "en-US" });
const server = await startServerProcess(dir);

function fieldWatch(): void {
  const observer = new MutationObserver(() => {
    if (!document.querySelector("[data-testid=dial-number]")) return;
    performance.mark("caller:dialer");
    observer.disconnect();
  });
  observer.observe(document, { childList: true, subtree: true });
}

/** One start: the page clock to the field, and self time (ms) by function and by script within that window. */
async function profiledStart(signIn: boolean): Promise<{ pageMs: number; byFunction: Map<string, number>; byScript: Map<string, number>; timeline: string[]; marks: Map<string, number> }> {
  const host = await startHostProcess(server.url, dir, signIn ? ["--sign-in", "admin@demo.example:demo-admin"] : []);
  const page = await context.newPage();
  await page.addInitScript(fieldWatch);
  const tracePath = join(dir, "trace.json");
  try {
    const url = await host.launchUrl();
    await browser.startTracing(page, { path: tracePath, categories: ["devtools.timeline", "disabled-by-default-v8.cpu_profiler", "blink.user_timing", "v8.execute"] });
    await page.goto(url);
    await page.getByTestId("dial-number").waitFor();
    const marks = await page.evaluate(() => {
      // Node's types (this file's) lack the browser's timing entries: the fields read are named here.
      type Timing = { name: string; startTime: number; responseEnd: number; domContentLoadedEventEnd?: number };
      const nav = performance.getEntriesByType("navigation")[0] as unknown as Timing | undefined;
      const resources = (performance.getEntriesByType("resource") as unknown as Timing[]).map((r) => `${r.startTime.toFixed(0).padStart(5)}–${r.responseEnd.toFixed(0).padStart(5)} ms  ${r.name.replace(/^.*\/\/[^/]+/, "").slice(0, 60)}`);
      return { field: performance.getEntriesByName("caller:dialer")[0]?.startTime ?? Number.NaN, timeOrigin: performance.timeOrigin, resources, dcl: nav?.domContentLoadedEventEnd ?? Number.NaN, response: nav?.responseEnd ?? Number.NaN };
    });
    await browser.stopTracing();
    // The app's own start marks (src-renderer/start/start-marks.ts), including those after the field: sync, history, SIP.
    await page.waitForTimeout(marksSettleMs);
    const appMarks = await page.evaluate(() => performance.getEntriesByType("mark").map((m) => [m.name, m.startTime] as [string, number]));
    // What the idle dialer loads after the field (each chunk costs renderer memory).
    const later = await page.evaluate((field) => performance.getEntriesByType("resource").filter((r) => r.startTime > field).map((r) => `${r.startTime.toFixed(0).padStart(5)} ms  (after the field) ${r.name.replace(/^.*\/\/[^/]+/, "").slice(0, 60)}`), marks.field);
    const trace = JSON.parse(readFileSync(tracePath, "utf8")) as { traceEvents: TraceEvent[] } | TraceEvent[];
    const events = Array.isArray(trace) ? trace : trace.traceEvents;
    const timeline = [`document responseEnd ${marks.response.toFixed(0)} ms, DOMContentLoaded ${marks.dcl.toFixed(0)} ms, field ${marks.field.toFixed(0)} ms`, ...marks.resources, ...later];
    return { pageMs: marks.field, ...selfTimes(events, marks.timeOrigin * 1000, marks.timeOrigin * 1000 + marks.field * 1000), timeline, marks: new Map(appMarks) };
  } finally {
    await page.close();
    await host.stop();
  }
}

/** Rebuilds the sampled profiles of the trace and sums each sample's interval onto its leaf function, within [fromUs, toUs] (epoch µs). */
function selfTimes(events: TraceEvent[], fromEpochUs: number, toEpochUs: number): { byFunction: Map<string, number>; byScript: Map<string, number> } {
  const byFunction = new Map<string, number>();
  const byScript = new Map<string, number>();
  // Trace timestamps are on a monotonic clock; the Profile event's startTime and the page's timeOrigin meet through the first navigation mark.
  const profiles = new Map<string, { nodes: Map<number, ProfileNode>; samples: number[]; deltas: number[]; start: number }>();
  for (const e of events) {
    const key = `${e.pid}:${e.id ?? ""}`;
    if (e.name === "Profile") profiles.set(key, { nodes: new Map(), samples: [], deltas: [], start: e.args?.data?.startTime ?? e.ts });
    if (e.name === "ProfileChunk") {
      const profile = profiles.get(key);
      const data = e.args?.data;
      if (!profile || !data) continue;
      for (const node of data.cpuProfile?.nodes ?? []) profile.nodes.set(node.id, node);
      profile.samples.push(...(data.cpuProfile?.samples ?? []));
      profile.deltas.push(...(data.timeDeltas ?? []));
    }
  }
  const navStart = events.find((e) => e.name === "navigationStart" && e.ph === "R")?.ts ?? events.find((e) => e.name === "TracingStartedInBrowser")?.ts ?? 0;
  const windowUs = toEpochUs - fromEpochUs;
  for (const profile of profiles.values()) {
    let t = profile.start;
    for (let i = 0; i < profile.samples.length; i += 1) {
      t += profile.deltas[i] ?? 0;
      const next = t + (profile.deltas[i + 1] ?? 0);
      if (t < navStart || t > navStart + windowUs) continue;
      const node = profile.nodes.get(profile.samples[i]!);
      if (!node) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      const script = (url ?? "").replace(/^.*\//, "") || "(native)";
      const name = `${functionName || "(anonymous)"} ${script}:${(lineNumber ?? 0) + 1}`;
      const ms = (next - t) / 1000;
      byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
      byScript.set(script, (byScript.get(script) ?? 0) + ms);
    }
  }
  return { byFunction, byScript };
}

console.log(`load average at the start: ${loadavg().map((n) => n.toFixed(2)).join(" ")}`);
await profiledStart(true);
const pageTimes: number[] = [];
const functions = new Map<string, number[]>();
const scripts = new Map<string, number[]>();
const markTimes = new Map<string, number[]>();
let lastTimeline: string[] = [];
for (let i = 0; i < runs; i += 1) {
  const run = await profiledStart(false);
  pageTimes.push(run.pageMs);
  lastTimeline = run.timeline;
  for (const [name, ms] of run.byFunction) functions.set(name, [...(functions.get(name) ?? []), ms]);
  for (const [name, ms] of run.byScript) scripts.set(name, [...(scripts.get(name) ?? []), ms]);
  for (const [name, ms] of run.marks) markTimes.set(name, [...(markTimes.get(name) ?? []), ms]);
}
const perRun = (values: number[]) => values.reduce((a, b) => a + b, 0) / runs;
const top = (table: Map<string, number[]>, n: number) =>
  [...table]
    .map(([name, values]) => [name, perRun(values)] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, ms]) => [name, ms.toFixed(1)]);
console.log(`\npage clock, navigation start → number field: median ${median(pageTimes).toFixed(0)} ms of ${runs} warm starts (${pageTimes.map((t) => t.toFixed(0)).join(", ")})`);
console.log(`load average at the end: ${loadavg().map((n) => n.toFixed(2)).join(" ")}`);
console.log("\nlast run's timeline (page clock):\n" + lastTimeline.join("\n"));
const markRows = [...markTimes].map(([name, times]) => [name, median(times), times.length] as const).sort((a, b) => a[1] - b[1]);
console.log(`\nthe app's start marks, page clock, median of the runs that set each (of ${runs}):\n` + formatTable(["mark", "ms", "runs"], markRows.map(([name, ms, n]) => [name, ms.toFixed(0), String(n)])));
console.log("\nsampled self time by script, mean ms per start:\n" + formatTable(["script", "ms"], top(scripts, 15)));
console.log("\nsampled self time by function, mean ms per start:\n" + formatTable(["function", "ms"], top(functions, 40)));

await context.close();
await browser.close();
await server.stop();
await chromiumProcess.stop();
rmSync(dir, { recursive: true, force: true });
