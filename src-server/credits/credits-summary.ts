import type { Knex } from "knex";
import { bonusForPeriod, bonusPeriodAt } from "../../src-shared/credits/monthly-bonus";
import { allowedPurchaseUnits } from "../../src-shared/credits/purchase-rules";
import { CallerError } from "../../src-shared/errors";
import type { CreditsSummary, RateQuote } from "../../src-shared/server-api/credits";
import { maxSecondsFor } from "../calls/max-seconds";
import { getCompany } from "../db/companies-repo";
import { toInt } from "../db/row-values";
import { readBillingDetails } from "./billing-repo";
import type { CreditsRuntime } from "./credits-runtime";
import { readBalance } from "./ledger-repo";
import { readLowBalanceThreshold } from "./low-balance";

async function companyOf(db: Knex, companyId: number) {
  const company = await getCompany(db, companyId);
  if (company === undefined) throw new CallerError("not_found", "The company no longer exists");
  return company;
}

async function callerUserCount(db: Knex, companyId: number): Promise<number> {
  const [row] = await db("users")
    .where({ company_id: companyId })
    .andWhere((q) => void q.where("role", "admin").orWhere("caller_enabled", true))
    .count<{ n: number | string }[]>({ n: "*" });
  return row === undefined ? 0 : toInt(row.n);
}

export async function creditsSummary(db: Knex, credits: CreditsRuntime, companyId: number, now: number): Promise<CreditsSummary> {
  const [company, balance, users, billing, threshold] = await Promise.all([
    companyOf(db, companyId),
    readBalance(db, companyId),
    callerUserCount(db, companyId),
    readBillingDetails(db, companyId),
    readLowBalanceThreshold(db, companyId),
  ]);
  return {
    bonusMicros: balance.bonusMicros,
    purchasedMicros: balance.purchasedMicros,
    reservedMicros: credits.reservedMicros(companyId),
    bonusExpiresAt: bonusPeriodAt(now, company.timeZone).endMs,
    callerUsers: users,
    monthlyBonusMicros: bonusForPeriod(users),
    purchaseUnitsMicros: [...allowedPurchaseUnits(company)],
    isTrial: company.isTrial,
    billingDetailsOnFile: billing !== null,
    lowBalanceThresholdMicros: threshold,
    currency: company.currency,
  };
}

/** What the dialer shows before dialing: the same limit authorize will apply, nothing reserved. */
export async function quoteRate(db: Knex, credits: CreditsRuntime, companyId: number, number: string, now: number): Promise<RateQuote> {
  await credits.prepare(companyId, now);
  const company = await companyOf(db, companyId);
  const limits = await db<{ id: number; max_call_seconds: number | string }>("companies").where({ id: companyId }).first();
  const maxCallSeconds = limits === undefined ? 0 : toInt(limits.max_call_seconds);
  const rated = credits.rateNow(companyId, number, now);
  if (rated === null) {
    return { number, destination: null, kind: null, ratePerMinuteMicros: null, connectionFeeMicros: null, increments: null, maxSeconds: 0, limitedBy: "no_rate" };
  }
  const { row } = rated;
  const limit = maxSecondsFor({ company: { companyId, plan: company.plan, isTrial: company.isTrial, maxCallSeconds }, to: number }, credits.callCredits(now));
  return {
    number,
    destination: row.destination,
    kind: row.kind,
    ratePerMinuteMicros: row.ratePerMinuteMicros,
    connectionFeeMicros: row.connectionFeeMicros,
    increments: row.increments,
    maxSeconds: limit.ok ? limit.maxSeconds : 0,
    limitedBy: limit.ok ? limit.limitedBy : "balance",
  };
}
