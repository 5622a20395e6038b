import type { Knex } from "knex";
import { bonusForPeriod, bonusPeriodAt } from "../../src-shared/credits/monthly-bonus";
import { effectiveInvoiceLimit } from "../../src-shared/credits/invoice-limit";
import { allowedPurchaseUnits } from "../../src-shared/credits/purchase-rules";
import { CallerError } from "../../src-shared/errors";
import type { CreditsSummary, RateQuote } from "../../src-shared/server-api/credits";
import { callLimit } from "../../src-shared/credits/decide-call";
import { getCompany } from "../db/companies-repo";
import { toInt } from "../db/row-values";
import { readBillingDetails } from "./billing-repo";
import type { CreditsRuntime } from "./credits-runtime";
import { readCallBalance } from "./reservation-repo";
import { purchasedBetween, readInvoiceLimit } from "./invoice-limit-repo";
import { readLowBalanceThreshold } from "./low-balance";
import type { PaymentProvider } from "./payment-provider";
import { pendingForCompany } from "./purchase-requests-repo";

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

export async function creditsSummary(db: Knex, credits: CreditsRuntime, provider: PaymentProvider, companyId: number, now: number): Promise<CreditsSummary> {
  const company = await companyOf(db, companyId);
  const month = bonusPeriodAt(now, company.timeZone);
  const [balance, users, billing, threshold, invoiceLimit, invoiced, waiting] = await Promise.all([
    readCallBalance(db, companyId),
    callerUserCount(db, companyId),
    readBillingDetails(db, companyId),
    readLowBalanceThreshold(db, companyId),
    readInvoiceLimit(db, companyId),
    purchasedBetween(db, companyId, provider.name, month.startMs, month.endMs),
    pendingForCompany(db, companyId),
  ]);
  return {
    bonusMicros: balance.bonusMicros,
    purchasedMicros: balance.purchasedMicros,
    reservedMicros: balance.reservedMicros,
    bonusExpiresAt: bonusPeriodAt(now, company.timeZone).endMs,
    callerUsers: users,
    monthlyBonusMicros: bonusForPeriod(users),
    purchaseUnitsMicros: [...allowedPurchaseUnits(company)],
    isTrial: company.isTrial,
    billingDetailsOnFile: billing !== null,
    lowBalanceThresholdMicros: threshold,
    currency: company.currency,
    invoicedThisMonthMicros: invoiced,
    invoiceLimitMicros: effectiveInvoiceLimit(invoiceLimit),
    awaitingApproval: waiting.map((r) => ({ id: `request-${r.id}`, amountMicros: r.amountMicros, createdAt: r.createdAt })),
  };
}

/** What the dialer shows before dialing: the same limit authorize will apply, nothing reserved. */
export async function quoteRate(db: Knex, credits: CreditsRuntime, companyId: number, number: string, now: number): Promise<RateQuote> {
  await credits.prepare(now);
  const company = await companyOf(db, companyId);
  const limits = await db<{ id: number; max_call_seconds: number | string }>("companies").where({ id: companyId }).first();
  const maxCallSeconds = limits === undefined ? 0 : toInt(limits.max_call_seconds);
  const balance = await readCallBalance(db, companyId);
  const availableMicros = Math.max(0, balance.bonusMicros + balance.purchasedMicros - balance.reservedMicros);
  const rated = credits.rateNow(number, now);
  if (rated === null) {
    return { number, destination: null, kind: null, ratePerMinuteMicros: null, connectionFeeMicros: null, increments: null, availableMicros, maxSeconds: 0, limitedBy: "no_rate" };
  }
  const { row } = rated;
  const limit = callLimit({ plan: company.plan, isTrial: company.isTrial, maxCallSeconds }, { balance, rate: row, trialCapSeconds: credits.trialCapSeconds });
  return {
    number,
    destination: row.destination,
    kind: row.kind,
    ratePerMinuteMicros: row.ratePerMinuteMicros,
    connectionFeeMicros: row.connectionFeeMicros,
    increments: row.increments,
    availableMicros,
    maxSeconds: limit.ok ? limit.maxSeconds : 0,
    limitedBy: limit.ok ? limit.limitedBy : "balance",
  };
}
