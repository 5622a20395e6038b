import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, expect, it } from "vitest";
import { callCostMicros } from "../../src-shared/credits/cost";
import { createCompany } from "../db/companies-repo";
import { ensureEndpoint } from "../db/pbx-endpoints-repo";
import { createUser } from "../db/users-repo";
import { startPostgres, type PostgresCluster } from "../test-support/postgres";
import { openMigrated, type TestDb } from "../test-support/test-db";
import { noEffects } from "./credit-effects";
import { readBalance } from "./ledger-repo";
import { writeCredit } from "./ledger-write";
import { CreditsRuntime } from "./credits-runtime";
import { runCreditSchedule } from "./scheduler";

/** The default tariff's rate for +1 201: $0.013 a minute, 60/60 increments. */
const usRow = { ratePerMinuteMicros: 13_000, connectionFeeMicros: 0, increments: { first: 60, next: 60 } };
const callSeconds = 3_600;
const calls = 10;

let cluster: PostgresCluster;
let handle: TestDb;
let dir: string;
let url: string;
const children: ChildProcess[] = [];
const secret = randomBytes(24).toString("hex");

/** The bundled server in its own process on the shared database, as a second machine would run it. */
function startServer(bundle: string): Promise<string> {
  const env = { ...process.env, DATABASE_URL: url, PBX_AUTHORIZE_SECRET: secret, PBX_WS_URL: "ws://127.0.0.1:8088/ws", CALLER_LOG_LEVEL: "warn" };
  const child = spawn(process.execPath, [bundle, "--port", "0", "--host", "127.0.0.1"], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let out = "";
  let err = "";
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening on" line within 30 s; stderr: ${err}`)), 30_000);
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
      if (match?.[1] === undefined) return;
      clearTimeout(timer);
      resolve(match[1]);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening; stderr: ${err}`));
    });
  });
}

beforeAll(async () => {
  cluster = await startPostgres();
  url = await cluster.createDatabase();
  handle = await openMigrated({ kind: "postgres", url });
  dir = await mkdtemp(join(tmpdir(), "caller-two-servers-"));
  await symlink(fileURLToPath(new URL("../../node_modules", import.meta.url)), join(dir, "node_modules"), "dir");
  const common = { bundle: true, platform: "node", format: "esm", packages: "external", logLevel: "error" } as const;
  await build({ ...common, entryPoints: [fileURLToPath(new URL("../main.ts", import.meta.url))], outfile: join(dir, "server.mjs") });
  await build({ ...common, entryPoints: [fileURLToPath(new URL("../imports/import-worker.ts", import.meta.url))], outfile: join(dir, "import-worker.mjs") });
}, 120_000);

afterAll(async () => {
  for (const child of children) child.kill("SIGTERM");
  await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once("exit", resolve)) : Promise.resolve())));
  await handle?.close();
  await cluster?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

it("two server processes on one PostgreSQL: 50 simultaneous authorizes against credit for 10 calls allow exactly 10", async () => {
  const now = Date.now();
  const company = await createCompany(handle.db, { name: "Two Servers Inc", plan: "professional", isTrial: false, country: "US", currency: "USD", timeZone: "UTC" }, now);
  // Each call may last an hour at most: the balance covers exactly ten of them.
  await handle.db("companies").where({ id: company.id }).update({ max_call_seconds: callSeconds });
  const user = await createUser(handle.db, { companyId: company.id, email: "caller@two.example", name: "Caller", role: "admin", locale: null, callerEnabled: true, passwordHash: "x", verifiedNumber: "+12015550100" }, now);
  const { endpointId } = await ensureEndpoint(handle.db, user, now);
  const perCall = callCostMicros(callSeconds, usRow);
  const balance = calls * perCall;
  // The month's bonus first (as the servers' schedulers would grant it at start), then purchased credit to make up the ten calls.
  await runCreditSchedule(handle.db, new CreditsRuntime({ db: handle.db }), now);
  const { bonusMicros } = await readBalance(handle.db, company.id);
  await handle.db.transaction((trx) => writeCredit(trx, company.id, [{ bucket: "purchased", kind: "adjustment", amountMicros: balance - bonusMicros, idempotencyKey: "two-servers:seed" }], now, noEffects()));

  const bundle = join(dir, "server.mjs");
  // One after the other: both migrate the same database at start.
  const servers = [await startServer(bundle), await startServer(bundle)];

  // As the dialplan's CURL asks: half the calls reach each server, all at once.
  const answers = await Promise.all(
    Array.from({ length: 50 }, async (_, i) => {
      const query = new URLSearchParams({ endpoint: endpointId, to: "+12015550123", uniqueid: `two-servers-${i}.1` });
      const reply = await fetch(`${servers[i % 2]!}/pbx/authorize?${query.toString()}`, { headers: { "x-caller-pbx-secret": secret } });
      expect(reply.status).toBe(200);
      return reply.text();
    }),
  );
  const allowed = answers.filter((a) => a.startsWith("result=allow"));
  const reservedByAnswers = allowed.reduce((sum, a) => sum + callCostMicros(Number(/maxSeconds=(\d+)/.exec(a)?.[1]), usRow), 0);
  expect({ allowed: allowed.length, refused: answers.filter((a) => a === "result=deny&reason=no_credit").length }).toEqual({ allowed: calls, refused: 50 - calls });
  expect(reservedByAnswers).toBeLessThanOrEqual(balance);

  // What the database holds agrees: ten holds, their sum the whole balance and no more.
  const row = await handle.db("credit_balances").where({ company_id: company.id }).first<{ reserved_micros: number | string; bonus_micros: number | string; purchased_micros: number | string }>();
  expect({ reserved: Number(row.reserved_micros), credit: Number(row.bonus_micros) + Number(row.purchased_micros) }).toEqual({ reserved: balance, credit: balance });
  const holds = await handle.db("credit_reservations").where({ company_id: company.id }).select<{ micros: number | string }[]>("micros");
  expect(holds.map((h) => Number(h.micros))).toEqual(Array.from({ length: calls }, () => perCall));
}, 120_000);
