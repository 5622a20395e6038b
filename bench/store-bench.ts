// Run from the repo root (bundled through stdin so knex and the drivers resolve from ./node_modules):
//   npx esbuild bench/store-bench.ts --bundle --platform=node --format=esm --packages=external --log-level=warning | node --input-type=module
import { performance } from "node:perf_hooks";
import { getCall, listCalls, upsertCalls } from "../src-main/core/store/calls-repo";
import type { CallInput } from "../src-main/core/store/calls-repo";
import type { StoreClient } from "../src-main/core/store/open-knex";
import { openTempStore } from "../src-main/core/store/temp-store";
import type { TempStore } from "../src-main/core/store/temp-store";
import { compare, formatMegabytes, formatRate, formatTable } from "./run";
import type { Operation, Subject, SubjectResult } from "./run";

const batchedRows = 20_000;
const rowsPerTransaction = 1_000;
const singleRows = 2_000;
const listReads = 1_000;
const keyReads = 10_000;
const repetitions = 3;

const t0 = Date.UTC(2026, 0, 1);

function call(n: number): CallInput {
  const startedAt = t0 + n * 37_000;
  return {
    id: `call-${n}`,
    direction: n % 4 === 0 ? "inbound" : "outbound",
    number: `+8131234${String(n % 10_000).padStart(4, "0")}`,
    startedAt,
    answeredAt: n % 5 === 0 ? null : startedAt + 4_000,
    endedAt: startedAt + 90_000,
    billedSeconds: n % 5 === 0 ? 0 : 86,
    disposition: n % 5 === 0 ? "NO ANSWER" : "ANSWERED",
    costMicros: n % 5 === 0 ? 0 : 172_000,
    outcome: n % 3 === 0 ? "interested" : null,
    notes: n % 7 === 0 ? "asked for a quote by email" : null,
    contactId: `contact-${n % 500}`,
    dealId: null,
    updatedSeq: n,
  };
}

const operations: Operation<TempStore>[] = [
  {
    name: `insert ${batchedRows.toLocaleString("en-US")} rows, ${rowsPerTransaction} per transaction (rows/s)`,
    count: batchedRows,
    async run({ knex }) {
      for (let start = 0; start < batchedRows; start += rowsPerTransaction) {
        await upsertCalls(knex, Array.from({ length: rowsPerTransaction }, (_, i) => call(start + i)));
      }
    },
  },
  {
    name: `insert ${singleRows.toLocaleString("en-US")} rows, one transaction each (rows/s)`,
    count: singleRows,
    async run({ knex }) {
      for (let i = 0; i < singleRows; i += 1) await upsertCalls(knex, [call(batchedRows + i)]);
    },
  },
  {
    name: `listCalls newest 100, x${listReads.toLocaleString("en-US")} (queries/s)`,
    count: listReads,
    async run({ knex }) {
      for (let i = 0; i < listReads; i += 1) {
        const page = await listCalls(knex, { limit: 100 });
        if (page.length !== 100) throw new Error(`expected 100 calls, got ${page.length}`);
      }
    },
  },
  {
    name: `getCall by primary key, x${keyReads.toLocaleString("en-US")} (reads/s)`,
    count: keyReads,
    async run({ knex }) {
      const total = batchedRows + singleRows;
      for (let i = 0; i < keyReads; i += 1) {
        // A fixed stride over all rows: every run reads the same, well-spread keys.
        const found = await getCall(knex, `call-${(i * 7_919) % total}`);
        if (!found) throw new Error("missing call");
      }
    },
  },
];

function subject(client: StoreClient): Subject<TempStore> {
  return { name: client, open: () => openTempStore(client), close: (store) => store.dispose() };
}

const started = performance.now();
const rssAtStart = process.memoryUsage().rss;
const [slow, fast] = (await compare([subject("sqlite3"), subject("better-sqlite3")], operations, repetitions)) as [SubjectResult, SubjectResult];

const rows = operations.map((op) => {
  const a = slow.opsPerSecond.get(op.name)!;
  const b = fast.opsPerSecond.get(op.name)!;
  return [op.name, formatRate(a), formatRate(b), `${(b / a).toFixed(2)}x`];
});
console.log(`\nMedian of ${repetitions} runs after a warm-up, knex → temp SQLite files (WAL, synchronous=NORMAL):\n`);
console.log(formatTable(["operation", "sqlite3 ops/s", "better-sqlite3 ops/s", "better/sqlite3"], rows));
const grew = (from: number, to: number) => `${formatMegabytes(to)} (+${formatMegabytes(to - from)})`;
console.log(
  `\nRSS: at start ${formatMegabytes(rssAtStart)}, after sqlite3's warm-up ${grew(rssAtStart, slow.rssBytes)}, ` +
    `after better-sqlite3's warm-up ${grew(slow.rssBytes, fast.rssBytes)} (one process)`,
);
console.log(`Node ${process.version}, total ${((performance.now() - started) / 1000).toFixed(1)} s`);
