// Authorize while a company admin imports a ~2 MB, 20,000-row contacts CSV (POST /api/crm/import).
// The shipped server (dist/server: run `node scripts/build.mjs server` first) in its own process, SQLite:
//   npm run bench -- contacts-import-bench [--cpu-prof DIR]
// Authorize round trips over loopback HTTP, 2 ms apart: with no import running (baseline) and while
// the file is imported, pass by pass in turn; medians over the passes. A file holds at most
// maxContactRows contacts, so it is sent with acceptValidRows: that many rows are written each time.
import { performance } from "node:perf_hooks";
import { maxContactRows } from "../src-shared/crm/contact-csv";
import { demoCredentials } from "../src-server/seed/demo";
import { formatMegabytes, median } from "./run";
import { authorizeLoop, authorizeTable, logServerHealth, percentile, token, withServerUnderLoad } from "./server-under-load";

const rows = 20_000;
const passes = 3;
const baselineRequests = 1_000;

/** `count` contacts of about 90 bytes each, every tenth without an organization, 500 organizations. */
function contactsCsv(count: number, pass: number): string {
  const lines = ["name,organization,phones,email"];
  for (let i = 0; i < count; i += 1) {
    const n = String(i).padStart(5, "0");
    const organization = i % 10 === 0 ? "" : `Holdings ${i % 500}`;
    lines.push(`Person ${pass}-${n},${organization},mobile: +1 201 555 ${n.slice(1)}; +1 646 555 ${n.slice(1)},p${pass}.${n}@example.com`);
  }
  return lines.join("\n");
}

async function importContacts(url: string, admin: string, csv: string): Promise<{ ms: number; imported: number }> {
  const started = performance.now();
  const reply = await fetch(`${url}/api/crm/import`, {
    method: "POST",
    headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
    body: JSON.stringify({ csv, acceptValidRows: true }),
  });
  const body = (await reply.json()) as { imported?: number; message?: string };
  if (reply.status !== 200 || typeof body.imported !== "number" || body.imported === 0) throw new Error(`contacts import: ${reply.status} ${JSON.stringify(body).slice(0, 300)}`);
  return { ms: performance.now() - started, imported: body.imported };
}

await withServerUnderLoad("contacts-bench", async ({ server, url, secret, endpoint }) => {
  const admin = await token(url, demoCredentials.admin);
  const baseline: { p50: number; p99: number }[] = [];
  const during: { p50: number; p99: number; max: number; n: number; importMs: number; imported: number }[] = [];
  let size = 0;
  const failures: string[] = [];
  for (let pass = 0; pass < passes; pass += 1) {
    const csv = contactsCsv(rows, pass);
    size = JSON.stringify({ csv, acceptValidRows: true }).length;
    const quiet = await authorizeLoop(url, endpoint, secret, { count: baselineRequests });
    baseline.push({ p50: median(quiet), p99: percentile(quiet, 99) });
    let done = false;
    const importing = importContacts(url, admin, csv).finally(() => (done = true));
    // Awaited below, after the loop: a failure must not end the process as unhandled meanwhile.
    importing.catch(() => undefined);
    const loud = await authorizeLoop(url, endpoint, secret, { until: () => done }, failures);
    const { ms, imported } = await importing;
    during.push({ p50: median(loud), p99: percentile(loud, 99), max: Math.max(...loud), n: loud.length, importMs: ms, imported });
  }

  console.log(authorizeTable(baselineRequests, baseline, `during a ${rows.toLocaleString("en-US")}-row contacts import (${formatMegabytes(size)} body)`, during));
  console.log(`contacts import: ${(median(during.map((s) => s.importMs)) / 1000).toFixed(2)} s (median of ${passes}), ${during[0]?.imported} contacts written each (at most ${maxContactRows} a file); worst authorize during it: ${Math.max(...during.map((s) => s.p99)).toFixed(2)} ms p99 of a pass, longest single: ${Math.max(...during.map((s) => s.max)).toFixed(2)} ms`);
  console.log(`authorize requests that failed during the imports: ${failures.length}${failures.length > 0 ? ` (first: ${failures[0]})` : ""}`);
  logServerHealth(server, passes);
});
