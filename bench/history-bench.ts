// `npm run build && npm run bench -- history-bench`: 100,000 synthetic calls through a real server's change feed into the desktop store.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { Knex } from "knex";
import type { HistoryFilter } from "../src-shared/api/areas/crm";
import { createEventHub } from "../src-main/core/event-hub";
import { OutboxFlusher } from "../src-main/core/outbox-flusher";
import { createServerClient } from "../src-main/core/server-client";
import type { SessionService } from "../src-main/core/session-service";
import { SyncService } from "../src-main/core/sync-service";
import { historyTotals, searchCalls } from "../src-main/core/store/history-search";
import { openStore } from "../src-main/core/store/open-store";
import { openTempStore } from "../src-main/core/store/temp-store";
import { hashSessionToken, newSessionToken, sessionTtlMs } from "../src-server/auth/session-token";
import { buildServer } from "../src-server/build-server";
import { seedDemoCrm } from "../src-server/crm/demo-crm";
import { migrateToLatest } from "../src-server/db/migrate";
import { openDatabase } from "../src-server/db/open-database";
import { createSession } from "../src-server/db/sessions-repo";
import { findUserByEmail } from "../src-server/db/users-repo";
import { demoCredentials, seedDemo } from "../src-server/seed/demo";
import { median } from "./run";

const callCount = 100_000;
const peopleCount = 2_000;
const searchesPerKind = 200;
const t0 = Date.UTC(2026, 0, 1);

const givenNames = ["Taro", "Hanako", "Kenji", "Yuki", "Emma", "Liam", "Olivia", "Noah", "Sakura", "Haruto", "Mia", "James"];
const familyNames = ["Yamada", "Suzuki", "Tanaka", "Sato", "Cooper", "Fox", "Smith", "Johnson", "Watanabe", "Ito", "Brown", "Garcia"];
const noteWords = ["quote", "pricing", "callback", "voicemail", "renewal", "demo", "invoice", "contract", "budget", "trial", "upgrade", "meeting"];
const jaFamilyNames = ["山田", "鈴木", "田中", "佐藤", "渡辺", "伊藤", "高橋", "中村"];
const jaGivenNames = ["太郎", "花子", "健二", "由紀", "翔太", "美咲"];
const jaNotes = ["見積もり送付済み", "折り返し希望", "請求書の件で連絡", "契約更新の相談", "来週打ち合わせ予定", "担当者不在"];
// Every third person has a Japanese name written without a space (one unicode61 token: only trigram or LIKE find its parts).
const personName = (i: number): string =>
  i % 3 === 2
    ? `${jaFamilyNames[i % jaFamilyNames.length]}${jaGivenNames[Math.floor(i / jaFamilyNames.length) % jaGivenNames.length]}`
    : `${givenNames[i % givenNames.length]} ${familyNames[Math.floor(i / givenNames.length) % familyNames.length]}${i}`;
const numberOf = (i: number): string => `+1201${String(1_000_000 + ((i * 7919) % 9_000_000)).padStart(7, "0")}`;

interface ServerCallRow {
  company_id: number;
  user_id: number;
  pbx_uniqueid: string;
  client_call_id: null;
  number: string;
  direction: "inbound" | "outbound";
  status: "ended";
  started_at: number;
  answered_at: number;
  ended_at: number;
  billed_seconds: number;
  disposition: string;
  cost_micros: number;
  updated_at: number;
  outcome_name: string | null;
  outcome_notes: string | null;
  contact_id: number | null;
  contact_name: string | null;
}

async function seedServer(db: Knex, userId: number, companyId: number): Promise<void> {
  await seedDemoCrm(db, companyId, t0);
  const people: { id: number; name: string }[] = [];
  for (let start = 0; start < peopleCount; start += 400) {
    await db.transaction(async (trx) => {
      for (let i = start; i < Math.min(peopleCount, start + 400); i += 1) {
        const [row] = await trx("crm_people").insert({ company_id: companyId, name: personName(i), email: null, created_at: t0, updated_at: t0 }).returning<{ id: number }[]>("id");
        people.push({ id: row!.id, name: personName(i) });
        const data = { id: String(row!.id), name: personName(i), email: null, organizationId: null, organizationName: null, phones: [], updatedAt: t0 };
        await trx("changes").insert({ company_id: companyId, audience_user_id: null, entity: "person", entity_id: String(row!.id), op: "upsert", data: JSON.stringify(data), at: t0 });
      }
    });
  }
  const batch = 250;
  for (let start = 0; start < callCount; start += batch) {
    await db.transaction(async (trx) => {
      const rows: ServerCallRow[] = [];
      for (let i = start; i < Math.min(callCount, start + batch); i += 1) {
        const person = i % 3 === 0 ? undefined : people[i % people.length];
        rows.push({
          company_id: companyId, user_id: userId, pbx_uniqueid: `bench-${i}`, client_call_id: null, number: numberOf(i), direction: i % 4 === 0 ? "inbound" : "outbound",
          status: "ended", started_at: t0 + i * 60_000, answered_at: t0 + i * 60_000, ended_at: t0 + i * 60_000 + 90_000, billed_seconds: i % 5 === 0 ? 0 : 90,
          disposition: i % 5 === 0 ? "no_answer" : "answered", cost_micros: i % 5 === 0 ? 0 : 18_000, updated_at: t0,
          outcome_name: i % 3 === 0 ? "Interested" : null, outcome_notes: i % 4 === 0 ? `${noteWords[i % noteWords.length]} ${noteWords[(i >> 2) % noteWords.length]} follow-up` : i % 7 === 1 ? jaNotes[i % jaNotes.length]! : null,
          contact_id: person?.id ?? null, contact_name: person?.name ?? null,
        });
      }
      const inserted = await trx("calls").insert(rows).returning<{ id: number }[]>("id");
      await trx("changes").insert(
        inserted.map(({ id }, k) => {
          const r = rows[k]!;
          const data = {
            id: String(id), direction: r.direction, number: r.number, startedAt: r.started_at, answeredAt: r.answered_at, endedAt: r.ended_at, billedSeconds: r.billed_seconds,
            disposition: r.disposition, costMicros: r.cost_micros, outcome: r.outcome_name, notes: r.outcome_notes,
            ...(r.contact_id === null ? {} : { contactId: String(r.contact_id), contactName: r.contact_name, dealId: null, dealTitle: null }),
          };
          return { company_id: companyId, audience_user_id: userId, entity: "call", entity_id: String(id), op: "upsert", data: JSON.stringify(data), at: t0 };
        }),
      );
    });
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** The same question without the index: a LIKE scan over number, names and notes, newest first. */
async function likeSearch(db: Knex, text: string): Promise<unknown[]> {
  const pattern = `%${text}%`;
  return db("calls as c")
    .leftJoin("people as p", "p.id", "c.contact_id")
    .where((w) => void w.where("c.number", "like", pattern).orWhere("p.name", "like", pattern).orWhere("c.notes", "like", pattern).orWhere("c.outcome", "like", pattern))
    .orderBy([{ column: "c.started_at", order: "desc" }, { column: "c.id", order: "desc" }])
    .limit(100)
    .select("c.*");
}

async function timeAll(queries: readonly string[], run: (q: string) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (const q of queries) {
    const started = performance.now();
    await run(q);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: median(times), p95: percentile(times, 95) };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "caller-history-bench-"));
  const db = await openDatabase({ kind: "sqlite", file: join(dir, "server.sqlite") });
  await migrateToLatest(db);
  await seedDemo(db, t0);
  const user = (await findUserByEmail(db, demoCredentials.sales.email))!;
  let started = performance.now();
  await seedServer(db, user.id, user.companyId);
  console.log(`server seeded with ${callCount.toLocaleString("en-US")} calls and ${peopleCount.toLocaleString("en-US")} people in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const app = buildServer({ db });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
  const token = newSessionToken();
  await createSession(db, { tokenHash: hashSessionToken(token), userId: user.id, createdAt: Date.now(), expiresAt: Date.now() + sessionTtlMs });
  const sessionState = () => Promise.resolve({ signedIn: true, user: { id: user.id, role: user.role } });
  const session = { signedIn: { client: createServerClient(url), token }, refresh: () => Promise.resolve(), state: sessionState } as unknown as SessionService;

  const store = await openTempStore("better-sqlite3");
  const sync = new SyncService(store.knex, session, createEventHub(), new OutboxFlusher(store.knex, session));
  started = performance.now();
  const state = await sync.syncNow();
  const syncSeconds = (performance.now() - started) / 1000;
  const mirrored = Number(((await store.knex("calls").count({ n: "*" }).first()) as { n: number }).n);
  console.log(`initial sync: ${mirrored.toLocaleString("en-US")} calls to seq ${state.lastSeq} in ${syncSeconds.toFixed(2)} s (${state.status}; target ≤ 10 s)`);
  await app.close();

  await store.close();
  started = performance.now();
  const cold = await openStore({ file: store.file });
  const opened = performance.now() - started;
  const empty: HistoryFilter = { query: "" };
  started = performance.now();
  const [firstPage, totals] = await Promise.all([searchCalls(cold.knex, empty, { limit: 100 }), historyTotals(cold.knex, empty)]);
  const firstQuery = performance.now() - started;
  started = performance.now();
  await Promise.all([searchCalls(cold.knex, empty, { limit: 100 }), historyTotals(cold.knex, empty)]);
  console.log(
    `first page (100 rows + totals of ${totals.count.toLocaleString("en-US")}): store open ${opened.toFixed(1)} ms, first query ${firstQuery.toFixed(1)} ms, again ${(performance.now() - started).toFixed(1)} ms (target ≤ 300 ms in all); newest ${firstPage[0]?.number}`,
  );

  const names = Array.from({ length: searchesPerKind }, (_, i) => familyNames[i % familyNames.length]!.toLowerCase().slice(0, 3 + (i % 3)));
  const numbers = Array.from({ length: searchesPerKind }, (_, i) => numberOf(i * 37).slice(-4 - (i % 4)));
  const words = Array.from({ length: searchesPerKind }, (_, i) => noteWords[i % noteWords.length]!.slice(0, 4 + (i % 3)));
  // Japanese: a family name inside a spaceless full name (2 characters: LIKE), and 3+ characters of names and notes (trigram).
  const jaShort = Array.from({ length: searchesPerKind }, (_, i) => (i % 5 === 4 ? jaGivenNames[i % jaGivenNames.length]!.slice(0, 1) : jaFamilyNames[i % jaFamilyNames.length]!));
  const jaLong = Array.from({ length: searchesPerKind }, (_, i) =>
    i % 2 === 0 ? `${jaFamilyNames[i % jaFamilyNames.length]}${jaGivenNames[i % jaGivenNames.length]!.slice(0, 1)}` : jaNotes[i % jaNotes.length]!.slice(1, 4 + (i % 2)),
  );
  const fts = (q: string) => searchCalls(cold.knex, { query: q }, { limit: 100 });
  const like = (q: string) => likeSearch(cold.knex, q);
  await timeAll(names.slice(0, 20), fts);
  await timeAll(names.slice(0, 20), like);
  console.log("search latency, 100 newest matches (ms):");
  for (const [kind, queries] of [["names", names], ["numbers", numbers], ["note words", words], ["ja 1-2 ch", jaShort], ["ja 3+ ch", jaLong]] as const) {
    const a = await timeAll(queries, fts);
    const b = await timeAll(queries, like);
    console.log(`  ${kind.padEnd(10)} FTS5 p50 ${a.p50.toFixed(2)} p95 ${a.p95.toFixed(2)}   LIKE p50 ${b.p50.toFixed(2)} p95 ${b.p95.toFixed(2)}`);
  }
  const all = [...names, ...numbers, ...words, ...jaShort, ...jaLong];
  const ftsAll = await timeAll(all, fts);
  const likeAll = await timeAll(all, like);
  console.log(`  all        FTS5 p50 ${ftsAll.p50.toFixed(2)} p95 ${ftsAll.p95.toFixed(2)} (target p95 ≤ 10)   LIKE p50 ${likeAll.p50.toFixed(2)} p95 ${likeAll.p95.toFixed(2)}`);
  const totalsTimes = await timeAll(all.slice(0, 100), (q) => historyTotals(cold.knex, { query: q }));
  console.log(`  totals of a search's whole match set: p50 ${totalsTimes.p50.toFixed(2)} p95 ${totalsTimes.p95.toFixed(2)} ms`);
  console.log(`process RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`);

  await cold.close();
  await db.destroy();
  await rm(store.dir, { recursive: true, force: true });
  await rm(dir, { recursive: true, force: true });
}

await main();
