import type { Knex } from "knex";
import { drop } from "../../src-shared/assert-never";
import { bonusForPeriod, bonusPeriods, type BonusPeriod } from "../../src-shared/credits/monthly-bonus";
import { startOfLocalDay } from "../../src-shared/credits/zoned-calendar";
import { planIncludesCaller, type Plan } from "../../src-shared/domain/company";
import { toInt } from "../db/row-values";
import { noEffects, type CreditEffects } from "./credit-effects";
import type { CreditsRuntime } from "./credits-runtime";
import { bonusExpiringNow } from "./call-holds";
import { lockBalance } from "./ledger-repo";
import { writeCredit } from "./ledger-write";
import { unsharedJobs, type JobLock } from "../jobs/job-lock";

interface CompanyRow {
  id: number;
  plan: Plan;
  time_zone: string;
  created_at: number | string;
}

interface ScheduleRow {
  company_id: number;
  last_granted_period: string | null;
  last_expired_period: string | null;
}

export interface ScheduleRun {
  grants: number;
  expiries: number;
}

/** The first instant after the month labelled "YYYY-MM" in the zone. */
function endOfPeriod(period: string, timeZone: string): number {
  const [year, month] = period.split("-").map(Number) as [number, number];
  return month === 12 ? startOfLocalDay(year + 1, 1, 1, timeZone) : startOfLocalDay(year, month + 1, 1, timeZone);
}

async function callerUsers(trx: Knex.Transaction, companyId: number): Promise<number> {
  const [row] = await trx("users")
    .where({ company_id: companyId })
    .andWhere((q) => void q.where("role", "admin").orWhere("caller_enabled", true))
    .count<{ n: number | string }[]>({ n: "*" });
  return row === undefined ? 0 : toInt(row.n);
}

async function grant(trx: Knex.Transaction, company: CompanyRow, period: BonusPeriod, now: number, effects: CreditEffects): Promise<number> {
  if (!planIncludesCaller(company.plan)) return 0;
  const users = await callerUsers(trx, company.id);
  const amountMicros = bonusForPeriod(users);
  if (amountMicros === 0) return 0;
  const entry = { bucket: "bonus", kind: "grant", amountMicros, idempotencyKey: `grant:${period.period}`, period: period.period, noteCode: "bonus_users", noteValue: users } as const;
  return (await writeCredit(trx, company.id, [entry], now, effects)).written;
}

/** The month's unused bonus goes; what calls in progress hold of it goes when each call's charge posts (call-holds.ts). */
async function expire(trx: Knex.Transaction, company: CompanyRow, period: BonusPeriod, now: number, effects: CreditEffects): Promise<number> {
  const { bonusMicros } = await lockBalance(trx, company.id);
  // Another run expired this month while this one waited for the lock: its holds were noted then.
  const done = await trx<ScheduleRow>("credit_schedule").where({ company_id: company.id }).first("last_expired_period");
  if (bonusMicros <= 0 || (done?.last_expired_period != null && done.last_expired_period >= period.period)) return 0;
  const expiring = await bonusExpiringNow(trx, company.id, bonusMicros, period.period);
  if (expiring <= 0) return 0;
  const entry = { bucket: "bonus", kind: "expiry", amountMicros: -expiring, idempotencyKey: `expiry:${period.period}`, period: period.period, noteCode: "bonus_unused" } as const;
  return (await writeCredit(trx, company.id, [entry], now, effects)).written;
}

/**
 * One company's months since it was last seen, oldest first: each month's
 * grant at its start, its unused bonus expired at its end (company zone).
 * The ledger's keys (grant:YYYY-MM, expiry:YYYY-MM) make each happen once
 * even if two runs overlap; the schedule row only saves re-reading the past.
 */
async function catchUp(trx: Knex.Transaction, company: CompanyRow, now: number, effects: CreditEffects): Promise<ScheduleRun> {
  const run: ScheduleRun = { grants: 0, expiries: 0 };
  const state = (await trx<ScheduleRow>("credit_schedule").where({ company_id: company.id }).first()) ?? { last_granted_period: null, last_expired_period: null };
  let { last_granted_period: granted, last_expired_period: expired } = state;
  const from = expired === null ? toInt(company.created_at) : endOfPeriod(expired, company.time_zone);
  if (from > now) return run;
  for (const period of bonusPeriods(from, now + 1, company.time_zone)) {
    if (period.startMs <= now && (granted === null || period.period > granted)) {
      run.grants += await grant(trx, company, period, now, effects);
      granted = period.period;
    }
    if (period.endMs <= now && (expired === null || period.period > expired)) {
      run.expiries += await expire(trx, company, period, now, effects);
      expired = period.period;
    }
  }
  await trx("credit_schedule")
    .insert({ company_id: company.id, last_granted_period: granted, last_expired_period: expired, updated_at: now })
    .onConflict("company_id")
    .merge(["last_granted_period", "last_expired_period", "updated_at"]);
  return run;
}

/**
 * Inside `trx`, before a call's charge: the grants and expiries due by `now`
 * of a company the schedule has seen, so a charge never pays from a month
 * that has ended. A company not seen yet (created since the last run) gets
 * its first grant from the schedule's next run, as every company does.
 */
export async function catchUpBeforeCharge(trx: Knex.Transaction, companyId: number, now: number, effects: CreditEffects): Promise<ScheduleRun> {
  const seen = await trx<ScheduleRow>("credit_schedule").where({ company_id: companyId }).first();
  const company = seen === undefined ? undefined : await trx<CompanyRow>("companies").where({ id: companyId }).first();
  return company === undefined ? { grants: 0, expiries: 0 } : catchUp(trx, company, now, effects);
}

/** Every company caught up to `now`, one transaction each; after each commit, its low-balance mail goes through `credits`. */
export async function runCreditSchedule(db: Knex, credits: CreditsRuntime, now: number): Promise<ScheduleRun> {
  const total: ScheduleRun = { grants: 0, expiries: 0 };
  const companies = (await db<CompanyRow>("companies").select("id", "plan", "time_zone", "created_at").orderBy("id")) as CompanyRow[];
  for (const company of companies) {
    const effects = noEffects();
    const run = await db.transaction((trx) => catchUp(trx, company, now, effects));
    credits.apply(effects);
    total.grants += run.grants;
    total.expiries += run.expiries;
  }
  return total;
}

export interface SchedulerLog {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** Runs at start and then every `intervalMs` (a minute by default) on an injectable clock; also retires stale reservations. */
export class CreditScheduler {
  readonly #db: Knex;
  readonly #credits: CreditsRuntime;
  readonly #now: () => number;
  readonly #log: SchedulerLog;
  readonly #intervalMs: number;
  readonly #jobs: JobLock;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> = Promise.resolve();

  /** `jobs`: with several servers on one database, only one of them grants and expires. */
  constructor(options: { db: Knex; credits: CreditsRuntime; now: () => number; log: SchedulerLog; intervalMs?: number; jobs?: JobLock }) {
    this.#db = options.db;
    this.#credits = options.credits;
    this.#now = options.now;
    this.#log = options.log;
    this.#intervalMs = options.intervalMs ?? 60_000;
    this.#jobs = options.jobs ?? unsharedJobs;
  }

  start(): void {
    this.tick();
    this.#timer = setInterval(() => this.tick(), this.#intervalMs);
    this.#timer.unref();
  }

  /** One run, queued behind the previous one (runs never overlap). */
  tick(): void {
    this.#running = this.#running.then(async () => {
      const now = this.#now();
      const run = await this.#jobs.runOnce("credit-schedule", () => runCreditSchedule(this.#db, this.#credits, now));
      if (run !== null && run.grants + run.expiries > 0) this.#log.info({ ...run }, "credits: monthly bonus granted and expired");
      // Any server may release a stale hold (each goes once); every server lets go of its own pinned raters.
      await this.#credits.sweep(now);
    });
    drop(this.#running, (error) => this.#log.error({ err: error instanceof Error ? error.message : String(error) }, "credits: scheduler run failed"));
    this.#running = this.#running.catch(() => undefined);
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }
}
