// Authorize while the operator imports a 400,000-row tariff, and the server's memory over 20 imports.
// The shipped server (dist/server: run `node scripts/build.mjs server` first) in its own process,
// SQLite, records committed on its writer thread, files parsed on its import thread:
//   npm run bench -- import-bench
// 1. authorize latency over loopback HTTP, 2 ms apart: with no import running (baseline) and
//    while a 400,000-row tariff is imported (uploaded from a worker thread of the bench, so the
//    loop's own event loop stays free), pass by pass in turn; medians over the passes;
// 2. the server's RSS after 20 imports of a 50,000-row tariff against after the first.
import { Worker } from "node:worker_threads";
import { tariffCsvColumns } from "../src-shared/credits/tariff-csv";
import { demoCredentials } from "../src-server/seed/demo";
import { rssBytes } from "./proc-memory";
import { formatMegabytes, median } from "./run";
import { authorizeLoop, authorizeTable, logServerHealth, percentile, token, withServerUnderLoad } from "./server-under-load";

const bigRows = 400_000;
const smallRows = 50_000;
const imports = 20;
const passes = 3;
const baselineRequests = 1_000;

/** `count` rows under 1,000 made-up calling codes; `rate` makes each file's rates its own. */
function tariffCsv(count: number, rate: number): string {
  // The number the bench authorizes falls under this row.
  const lines = [tariffCsvColumns.join(","), `1,United States and Canada,other,0.0${13 + (rate % 7)}000,0.000000,60/60,2026-01-01,`];
  for (let i = 0; i < count - 1; i += 1) {
    const prefix = `${100 + (i % 900)}${String(Math.floor(i / 900)).padStart(4, "0")}`;
    const kind = i % 3 === 0 ? "mobile" : "fixed";
    lines.push(`${prefix},"Benchland ${i % 900}, ${kind}",${kind},0.${String(rate + (i % 50)).padStart(6, "0")},0.000000,60/60,2026-01-01,`);
  }
  return lines.join("\n");
}

/**
 * The upload runs in a worker thread of the bench: JSON-encoding and sending 28 MB on the bench's
 * own event loop delayed its authorize loop's timers and reads, which then counted as the server's.
 */
const uploadSource = `
const { parentPort, workerData } = require("node:worker_threads");
const { url, operator, csv, fileName } = workerData;
const started = performance.now();
fetch(url + "/api/operator/tariff/import", {
  method: "POST",
  headers: { authorization: "Bearer " + operator, "content-type": "application/json" },
  body: JSON.stringify({ fileName, csv, acceptValidRows: false }),
})
  .then(async (reply) => parentPort.postMessage({ status: reply.status, body: await reply.json(), ms: performance.now() - started }))
  .catch((error) => parentPort.postMessage({ status: 0, body: { message: String(error) }, ms: 0 }));
`;

function importTariff(url: string, operator: string, csv: string, fileName: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(uploadSource, { eval: true, workerData: { url, operator, csv, fileName } });
    worker.once("error", reject);
    worker.once("message", (reply: { status: number; body: { version?: number | null; message?: string }; ms: number }) => {
      void worker.terminate();
      if (reply.status !== 200 || typeof reply.body.version !== "number") reject(new Error(`import ${fileName}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`));
      else resolve(reply.ms);
    });
  });
}

await withServerUnderLoad("import-bench", async ({ server: started, url, secret, endpoint }) => {
  const server = started.child;
  const operator = await token(url, demoCredentials.operator);

  // Memory first, on a fresh server: each import is a whole new version.
  const small = Array.from({ length: imports }, (_, i) => tariffCsv(smallRows, 10_000 + i * 100));
  await importTariff(url, operator, small[0]!, "small-1.csv");
  await new Promise((done) => setTimeout(done, 1_000));
  const rssAfterOne = rssBytes(server.pid!);
  for (let i = 1; i < imports; i += 1) await importTariff(url, operator, small[i]!, `small-${i + 1}.csv`);
  await new Promise((done) => setTimeout(done, 1_000));
  const rssAfterAll = rssBytes(server.pid!);

  const big = tariffCsv(bigRows, 20_000);
  const baseline: { p50: number; p99: number }[] = [];
  const during: { p50: number; p99: number; n: number; importMs: number }[] = [];
  for (let pass = 0; pass < passes; pass += 1) {
    const quiet = await authorizeLoop(url, endpoint, secret, { count: baselineRequests });
    baseline.push({ p50: median(quiet), p99: percentile(quiet, 99) });
    let done = false;
    const importing = importTariff(url, operator, big, `big-${pass + 1}.csv`).finally(() => (done = true));
    const loud = await authorizeLoop(url, endpoint, secret, { until: () => done });
    const importMs = await importing;
    during.push({ p50: median(loud), p99: percentile(loud, 99), n: loud.length, importMs });
  }

  console.log(authorizeTable(baselineRequests, baseline, `during a ${bigRows.toLocaleString("en-US")}-row tariff import (${formatMegabytes(big.length)} CSV)`, during));
  console.log(`import of ${bigRows.toLocaleString("en-US")} rows: ${(median(during.map((s) => s.importMs)) / 1000).toFixed(1)} s (median of ${passes}); worst authorize during it: ${Math.max(...during.map((s) => s.p99)).toFixed(2)} ms p99 of a pass`);
  console.log(`server RSS after 1 import of ${smallRows.toLocaleString("en-US")} rows: ${formatMegabytes(rssAfterOne)}; after ${imports}: ${formatMegabytes(rssAfterAll)} (${(rssAfterAll / rssAfterOne).toFixed(2)}x)`);
  logServerHealth(started, passes);
});
