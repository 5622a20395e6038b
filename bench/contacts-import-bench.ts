// Authorize while a company admin imports a ~2 MB, 20,000-row contacts CSV (POST /api/crm/import).
// The shipped server (dist/server: run `node scripts/build.mjs server` first) in its own process, SQLite:
//   npm run bench -- contacts-import-bench [--cpu-prof DIR]
// Authorize round trips over loopback HTTP, 2 ms apart: with no import running (baseline) and while
// the file is imported, pass by pass in turn; medians over the passes. A file holds at most
// maxContactRows contacts, so it is sent with acceptValidRows: that many rows are written each time.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { maxContactRows } from "../src-shared/crm/contact-csv";
import type { SipConfig } from "../src-shared/server-api/sip";
import { demoCredentials } from "../src-server/seed/demo";
import { freeTcpPort } from "../e2e/support/asterisk";
import { formatMegabytes, formatTable, median } from "./run";
import { authorizeLoop, cpuProfileDir, percentile, prepareDatabase, startServer, token, type BenchServer } from "./server-under-load";

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

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "caller-contacts-bench-"));
  const secret = randomBytes(24).toString("hex");
  let started: BenchServer | undefined;
  try {
    await writeFile(join(dir, "pbx.env"), `PBX_AUTHORIZE_SECRET=${secret}\nPBX_WS_URL=ws://127.0.0.1:8088/ws\n`, { mode: 0o600 });
    await prepareDatabase(join(dir, "server.sqlite"));
    started = await startServer(dir, await freeTcpPort(), { cpuProfileDir: cpuProfileDir() });
    const { url } = started;
    const admin = await token(url, demoCredentials.admin);
    const sales = await token(url, demoCredentials.sales);
    const { username: endpoint } = (await (await fetch(`${url}/api/sip/config`, { headers: { authorization: `Bearer ${sales}` } })).json()) as SipConfig;
    await authorizeLoop(url, endpoint, secret, { count: 200 });

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

    const b50 = median(baseline.map((s) => s.p50));
    const b99 = median(baseline.map((s) => s.p99));
    const d50 = median(during.map((s) => s.p50));
    const d99 = median(during.map((s) => s.p99));
    console.log(
      formatTable(
        ["authorize round trip (ms), median of passes", "n/pass", "p50", "p99", "p50 ratio", "p99 ratio"],
        [
          ["no import running (baseline)", String(baselineRequests), b50.toFixed(2), b99.toFixed(2), "1.00x", "1.00x"],
          [`during a ${rows.toLocaleString("en-US")}-row contacts import (${formatMegabytes(size)} body)`, String(Math.round(median(during.map((s) => s.n)))), d50.toFixed(2), d99.toFixed(2), `${(d50 / b50).toFixed(2)}x`, `${(d99 / b99).toFixed(2)}x`],
        ],
      ),
    );
    console.log(`contacts import: ${(median(during.map((s) => s.importMs)) / 1000).toFixed(2)} s (median of ${passes}), ${during[0]?.imported} contacts written each (at most ${maxContactRows} a file); worst authorize during it: ${Math.max(...during.map((s) => s.p99)).toFixed(2)} ms p99 of a pass, longest single: ${Math.max(...during.map((s) => s.max)).toFixed(2)} ms`);
    console.log(`authorize requests that failed during the imports: ${failures.length}${failures.length > 0 ? ` (first: ${failures[0]})` : ""}`);
    console.log(`server errors logged: ${started.errors.length}${started.errors.length > 0 ? `, first: ${started.errors[0]}` : ""}`);
    console.log(`"database is locked" lines logged: ${started.locked.errors}; writer commits tried again after a lock: ${started.locked.retries}`);
    console.log(`Node ${process.version}; ${passes} passes, baseline and import in turn`);
  } catch (error) {
    // The server's log lines about the failure may still be on their way.
    await new Promise((done) => setTimeout(done, 500));
    if (started !== undefined && started.errors.length > 0) console.error(`server errors logged:\n${started.errors.slice(0, 3).join("\n")}`);
    throw error;
  } finally {
    await started?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
