// Ledger charge throughput with every charge durable (SQLite WAL, synchronous=FULL) before it is acknowledged:
// one commit per charge (baseline) vs group commit through the DurableWriter, in one run.
//   npm run bench -- ledger-bench
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { Knex } from "knex";
import { postCallCharge, type CallCharge } from "../src-server/credits/call-charge";
import { noEffects } from "../src-server/credits/credit-effects";
import { postEntries, readBalance, sumLedger } from "../src-server/credits/ledger-repo";
import { createCompany } from "../src-server/db/companies-repo";
import { migrateToLatest } from "../src-server/db/migrate";
import { openDatabase } from "../src-server/db/open-database";
import { ChargeQueue, chargeWriter } from "./charge-queue";
import { formatRate, formatTable, median } from "./run";

const baselineCharges = 1_500;
const groupCharges = 20_000;
const repetitions = 3;
const target = 20_000;
const now = Date.UTC(2026, 10, 24, 12);
const quiet = { warn: () => {}, error: () => {} };

interface Ledger {
  db: Knex;
  companyId: number;
  close(): Promise<void>;
}

async function openLedger(): Promise<Ledger> {
  const dir = await mkdtemp(join(tmpdir(), "caller-ledger-bench-"));
  const db = await openDatabase({ kind: "sqlite", file: join(dir, "server.sqlite") });
  await migrateToLatest(db);
  const synchronous = (await db.raw<{ synchronous: number }[]>("pragma synchronous"))[0]?.synchronous;
  if (synchronous !== 2) throw new Error(`expected synchronous=FULL (2), got ${String(synchronous)}`);
  const company = await createCompany(db, { name: "Bench K.K.", plan: "professional", isTrial: false, country: "JP", currency: "USD", timeZone: "Asia/Tokyo" }, now);
  await db.transaction((trx) =>
    postEntries(trx, company.id, [
      { bucket: "bonus", kind: "grant", amountMicros: 40_000_000, idempotencyKey: "grant:2026-11" },
      { bucket: "purchased", kind: "purchase", amountMicros: 1_000_000_000_000, idempotencyKey: "purchase:1" },
    ], now),
  );
  return {
    db,
    companyId: company.id,
    async close() {
      await db.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

let run = 0;
function charges(companyId: number, count: number): CallCharge[] {
  run += 1;
  return Array.from({ length: count }, (_, i) => ({
    companyId,
    pbxUniqueid: `bench-${run}.${i}`,
    callId: null,
    userId: null,
    number: "+819012345678",
    destination: "Japan, mobile",
    billedSeconds: 30 + (i % 300),
    tariffVersion: 1,
    costMicros: 60_000 + (i % 300) * 2_000,
  }));
}

/** Every charge is written and the cached balance equals the ledger's sum. */
async function check(ledger: Ledger, expected: number): Promise<void> {
  const [row] = await ledger.db("ledger_entries").where({ kind: "call_charge" }).countDistinct<{ n: number }[]>({ n: "pbx_uniqueid" });
  if (row?.n !== expected) throw new Error(`expected ${expected} charged calls, found ${String(row?.n)}`);
  const balance = await readBalance(ledger.db, ledger.companyId);
  const sum = await sumLedger(ledger.db, ledger.companyId);
  if (balance.bonusMicros !== sum.bonusMicros || balance.purchasedMicros !== sum.purchasedMicros) throw new Error("cached balance differs from the ledger's sum");
}

/** Baseline: each charge its own transaction, acknowledged after its own commit (fsync). */
async function oneCommitPerCharge(): Promise<number> {
  const ledger = await openLedger();
  try {
    const batch = charges(ledger.companyId, baselineCharges);
    const started = performance.now();
    await Promise.all(batch.map((charge) => ledger.db.transaction((trx) => postCallCharge(trx, charge, now, noEffects()))));
    const rate = baselineCharges / ((performance.now() - started) / 1000);
    await check(ledger, baselineCharges);
    return rate;
  } finally {
    await ledger.close();
  }
}

/** Charges arriving together share commits through the writer; each resolves only after the commit that carries it. */
async function groupCommit(): Promise<number> {
  const ledger = await openLedger();
  const writer = chargeWriter(ledger.db, quiet);
  try {
    const batch = charges(ledger.companyId, groupCharges);
    const started = performance.now();
    await Promise.all(batch.map((charge) => writer.run("postCallCharge", { charge, now })));
    const rate = groupCharges / ((performance.now() - started) / 1000);
    await check(ledger, groupCharges);
    return rate;
  } finally {
    await writer.idle();
    await ledger.close();
  }
}

/** The same, with the charges of one tick carried by one write (ChargeQueue), each in its own savepoint. */
async function groupCommitBatched(): Promise<number> {
  const ledger = await openLedger();
  const writer = chargeWriter(ledger.db, quiet);
  const queue = new ChargeQueue(writer, () => now);
  try {
    const batch = charges(ledger.companyId, groupCharges);
    const started = performance.now();
    await Promise.all(batch.map((charge) => queue.charge(charge)));
    const rate = groupCharges / ((performance.now() - started) / 1000);
    await check(ledger, groupCharges);
    return rate;
  } finally {
    await writer.idle();
    await ledger.close();
  }
}

const modes = [oneCommitPerCharge, groupCommit, groupCommitBatched];
for (const mode of modes) await mode();
const samples = modes.map(() => [] as number[]);
for (let i = 0; i < repetitions; i += 1) {
  for (const [m, mode] of modes.entries()) samples[m]!.push(await mode());
}
const [base, group, batched] = samples.map(median) as [number, number, number];
console.log(`\nLedger charges on a SQLite file (WAL, synchronous=FULL), a call charge = balance read, bonus-first split, 1–2 entries, balance row, low-balance check.\n`);
console.log(
  formatTable(
    ["mode", "charges", "charges/s (median)"],
    [
      ["one commit per charge", baselineCharges.toLocaleString("en-US"), formatRate(base)],
      ["group commit, one writer.run per charge", groupCharges.toLocaleString("en-US"), formatRate(group)],
      ["group commit, a tick's charges per writer.run", groupCharges.toLocaleString("en-US"), formatRate(batched)],
    ],
  ),
);
console.log(`\ngroup commit / one commit per charge: ${(group / base).toFixed(1)}x per run, ${(batched / base).toFixed(1)}x batched`);
console.log(`target: ≥ ${formatRate(target)} durable charges/s ${Math.max(group, batched) >= target ? "met" : "MISSED"}`);
console.log(`Node ${process.version}, median of ${repetitions} runs after a warm-up`);
