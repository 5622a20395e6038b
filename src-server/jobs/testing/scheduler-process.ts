// A server's credit scheduler in a process of its own, driven over stdin: "tick <ms>" runs
// one tick at that time and answers {"runs":N} (times this process ran the job so far).
// CALLER_JOB_LOCK=none leaves the lock out, to show what it prevents.
import { createInterface } from "node:readline";
import { CreditsRuntime } from "../../credits/credits-runtime";
import { CreditScheduler } from "../../credits/scheduler";
import { openDatabase } from "../../db/open-database";
import { PgLink } from "../../db/pg-link";
import { advisoryJobLock, unsharedJobs, type JobLock } from "../job-lock";

const url = process.env.CALLER_TEST_DATABASE_URL ?? "";
const quiet = { info: () => {}, warn: () => {}, error: (details: object, message: string) => console.error(message, details) };
const db = await openDatabase({ kind: "postgres", url });
const link = new PgLink({ url, log: quiet });
await link.start();
const lock = process.env.CALLER_JOB_LOCK === "none" ? unsharedJobs : advisoryJobLock(link);
let runs = 0;
const counted: JobLock = { runOnce: (name, fn) => lock.runOnce(name, () => ((runs += 1), fn())) };
let now = 0;
const scheduler = new CreditScheduler({ db, credits: new CreditsRuntime({ db }), now: () => now, log: quiet, jobs: counted, intervalMs: 3_600_000 });

console.log("ready");
for await (const line of createInterface({ input: process.stdin })) {
  const [command, at] = line.split(" ");
  if (command !== "tick") break;
  now = Number(at);
  scheduler.tick();
  await scheduler.stop();
  console.log(JSON.stringify({ runs }));
}
await link.close();
await db.destroy();
