// Rating throughput against a 50,000-prefix tariff: the trie rater vs a naive SQL LIKE lookup, in one run.
//   npm run bench -- rating-bench
import Database from "better-sqlite3";
import { getCountries, getCountryCallingCode } from "libphonenumber-js";
import { performance } from "node:perf_hooks";
import { buildRater } from "../src-shared/credits/rater";
import { parseTariffCsv, tariffCsvColumns } from "../src-shared/credits/tariff-csv";
import type { TariffRow } from "../src-shared/credits/tariff";
import { formatMegabytes, formatRate, formatTable, median } from "./run";

const prefixTarget = 50_000;
const lookupNumbers = 200_000;
const trieLookups = 2_000_000;
const sqlSeconds = 2;
const repetitions = 5;
const targets = { trieLookupsPerSecond: 1_000_000, ratio: 100 };

/** mulberry32: the same tariff and numbers on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const random = prng(20261124);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join("");

/** A rate change mid-month, so a tenth of the prefixes carry two rows. */
const changeText = "2026-11-16T09:00:00Z";
const change = Date.parse(changeText);
const before = change - 86_400_000;
const after = change + 86_400_000;

const regionNames = new Intl.DisplayNames(["en"], { type: "region" });
const countries = new Map<string, string>();
for (const region of getCountries()) {
  const code = getCountryCallingCode(region);
  if (!countries.has(code)) countries.set(code, regionNames.of(region) ?? region);
}
const callingCodes = [...countries.keys()];

const dollars = (micros: number) => `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, "0")}`;
const quote = (text: string) => (/[",]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

/** Every calling code, then longer area and mobile prefixes under them until there are 50,000. */
function generateCsv(): { text: string; prefixes: string[] } {
  const codeOf = new Map<string, string>(callingCodes.map((c) => [c, c]));
  while (codeOf.size < prefixTarget) {
    const code = pick(callingCodes);
    const prefix = code + digits(1 + Math.floor(random() * Math.min(5, 12 - code.length)));
    if (!codeOf.has(prefix)) codeOf.set(prefix, code);
  }
  const lines: string[] = [tariffCsvColumns.join(",")];
  for (const [prefix, code] of codeOf) {
    // In this made-up plan a country's mobile ranges start with 7, 8 or 9 after its code.
    const kind = prefix === code ? "other" : "789".includes(prefix[code.length]!) ? "mobile" : "fixed";
    const rate = kind === "mobile" ? 10_000 + Math.floor(random() * 290_000) : 5_000 + Math.floor(random() * 45_000);
    const fee = random() < 0.1 ? 10_000 : 0;
    const increments = pick(["60/60", "60/60", "30/6", "1/1", "6/6"]);
    const name = kind === "other" ? countries.get(code)! : `${countries.get(code)!}, ${kind}`;
    const row = (r: number, from: string, to: string) => [prefix, quote(name), kind, dollars(r), dollars(fee), increments, from, to].join(",");
    if (random() < 0.1) {
      lines.push(row(rate, "2026-01-01", changeText), row(Math.round(rate * 0.9), changeText, ""));
    } else {
      lines.push(row(rate, "2026-01-01", ""));
    }
  }
  return { text: lines.join("\n"), prefixes: [...codeOf.keys()] };
}

function numbersToRate(prefixes: readonly string[]): string[] {
  return Array.from({ length: lookupNumbers }, () => {
    // Mostly numbers under a known prefix, some anywhere (unknown destinations included).
    const start = random() < 0.9 ? pick(prefixes) : String(1 + Math.floor(random() * 9));
    return `+${start}${digits(Math.max(2, 11 - start.length))}`;
  });
}

function timed(run: () => void): number {
  const started = performance.now();
  run();
  return (performance.now() - started) / 1000;
}

const { text, prefixes } = generateCsv();
const numbers = numbersToRate(prefixes);

let parsed = parseTariffCsv(text);
const parseSeconds = median(Array.from({ length: repetitions }, () => timed(() => (parsed = parseTariffCsv(text)))));
if (parsed.rejected.length > 0) throw new Error(`generated tariff has rejected rows: ${JSON.stringify(parsed.rejected.slice(0, 3))}`);
const rows: TariffRow[] = parsed.rows;

let rater = buildRater(rows);
const buildSeconds = median(Array.from({ length: repetitions }, () => timed(() => (rater = buildRater(rows)))));

let checksum = 0;
function trieRun(): void {
  for (let i = 0; i < trieLookups; i += 1) {
    const row = rater.rate(numbers[i % lookupNumbers]!, i & 1 ? after : before);
    if (row !== null) checksum += row.ratePerMinuteMicros;
  }
}
trieRun();
const trieRate = median(Array.from({ length: repetitions }, () => trieLookups / timed(trieRun)));

const db = new Database(":memory:");
db.exec("CREATE TABLE tariff (prefix TEXT NOT NULL, rate_per_minute_micros INTEGER NOT NULL, effective_from INTEGER NOT NULL, effective_to INTEGER)");
db.exec("CREATE INDEX tariff_prefix ON tariff (prefix)");
const insert = db.prepare("INSERT INTO tariff VALUES (?, ?, ?, ?)");
db.transaction(() => {
  for (const r of rows) insert.run(r.prefix, r.ratePerMinuteMicros, r.effectiveFrom, r.effectiveTo);
})();
const lookup = db.prepare<[string, number, number], { prefix: string; rate_per_minute_micros: number }>(
  "SELECT prefix, rate_per_minute_micros FROM tariff WHERE ? LIKE prefix || '%' AND effective_from <= ? AND (effective_to IS NULL OR effective_to > ?) " +
    "ORDER BY length(prefix) DESC LIMIT 1",
);
let sqlDone = 0;
let mismatches = 0;
const sqlStarted = performance.now();
while (performance.now() - sqlStarted < sqlSeconds * 1000) {
  const number = numbers[(sqlDone * 7_919) % lookupNumbers]!;
  const at = sqlDone & 1 ? after : before;
  const found = lookup.get(number.slice(1), at, at);
  const expected = rater.rate(number, at);
  if ((found?.prefix ?? null) !== (expected?.prefix ?? null) || (found?.rate_per_minute_micros ?? null) !== (expected?.ratePerMinuteMicros ?? null)) mismatches += 1;
  sqlDone += 1;
}
const sqlRate = sqlDone / ((performance.now() - sqlStarted) / 1000);
db.close();

const ratio = trieRate / sqlRate;
const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
console.log(
  `\nTariff: ${rater.prefixCount.toLocaleString("en-US")} prefixes under ${callingCodes.length} calling codes, ${rows.length.toLocaleString("en-US")} rows ` +
    `(a tenth change rate mid-month), ${formatMegabytes(text.length)} of CSV; trie ${rater.nodeCount.toLocaleString("en-US")} nodes, ${formatMegabytes(rater.trieBytes)}.\n`,
);
console.log(
  formatTable(
    ["operation", "per second", "median time"],
    [
      [`parseTariffCsv, ${rows.length.toLocaleString("en-US")} rows (rows/s)`, formatRate(rows.length / parseSeconds), `${(parseSeconds * 1000).toFixed(0)} ms`],
      ["buildRater (rows/s)", formatRate(rows.length / buildSeconds), `${(buildSeconds * 1000).toFixed(0)} ms`],
      [`trie rate(), ${trieLookups.toLocaleString("en-US")} lookups (lookups/s)`, formatRate(trieRate), ""],
      [`SQL LIKE, better-sqlite3 :memory:, ${sqlDone.toLocaleString("en-US")} lookups in ${sqlSeconds} s (lookups/s)`, formatRate(sqlRate), ""],
    ],
  ),
);
console.log(`\ntrie / SQL: ${Math.round(ratio).toLocaleString("en-US")}x`);
console.log(`targets: trie ≥ ${formatRate(targets.trieLookupsPerSecond)} lookups/s ${verdict(trieRate >= targets.trieLookupsPerSecond)}; ≥ ${targets.ratio}x the SQL lookup ${verdict(ratio >= targets.ratio)}`);
console.log(`SQL and trie answers compared on ${sqlDone.toLocaleString("en-US")} numbers: ${mismatches} differ (checksum ${checksum % 1000})`);
console.log(`Node ${process.version}, median of ${repetitions} runs after a warm-up`);
if (mismatches > 0) process.exitCode = 1;
