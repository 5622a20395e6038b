import type { Knex } from "knex";
import { defaultInvoiceLimitMicros, effectiveInvoiceLimit, maxInvoiceLimitMicros } from "../../src-shared/credits/invoice-limit";
import { bonusPeriodAt } from "../../src-shared/credits/monthly-bonus";
import type { Company } from "../../src-shared/domain/company";
import { CallerError } from "../../src-shared/errors";
import type { CompaniesReply, CompanyOverview, MonthUsage } from "../../src-shared/server-api/operator";
import { purchasedBetween, readInvoiceLimits, saveInvoiceLimit } from "../credits/invoice-limit-repo";
import { readAllBalances } from "../credits/ledger-repo";
import { pendingCounts } from "../credits/purchase-requests-repo";
import { getCompany } from "../db/companies-repo";
import { toBool, toInt } from "../db/row-values";
import { logOperatorAction } from "./operator-actions-repo";

interface CompanyRow {
  id: number;
  name: string;
  plan: Company["plan"];
  is_trial: boolean | number;
  currency: string;
  time_zone: string;
}

/** Calls the PBX let through in [from, to): how many, billed seconds, what they cost. */
async function usageBetween(db: Knex, companyId: number, from: number, to: number): Promise<MonthUsage> {
  const [row] = await db("calls")
    .where({ company_id: companyId })
    .whereNot({ status: "refused" })
    .where("started_at", ">=", from)
    .where("started_at", "<", to)
    .select<{ calls: number | string; seconds: number | string | null; cost: number | string | null }[]>(db.raw("count(*) as calls"), db.raw("sum(billed_seconds) as seconds"), db.raw("sum(cost_micros) as cost"));
  return { calls: toInt(row?.calls ?? 0), billedSeconds: toInt(row?.seconds ?? 0), costMicros: toInt(row?.cost ?? 0) };
}

/**
 * Every company as the operator sees it: plan, balances, this and last
 * calendar month (each company's own zone), the invoice limit and what is
 * waiting for approval. Read from the database, so every server agrees.
 */
export async function companiesOverview(db: Knex, invoiceProvider: string, now: number): Promise<CompaniesReply> {
  const [companies, balances, limits, pending] = await Promise.all([
    db<CompanyRow>("companies").orderBy("name").orderBy("id").select("id", "name", "plan", "is_trial", "currency", "time_zone"),
    readAllBalances(db),
    readInvoiceLimits(db),
    pendingCounts(db),
  ]);
  const balanceOf = new Map(balances.map((b) => [b.companyId, b]));
  const overview: CompanyOverview[] = [];
  for (const row of companies) {
    const id = toInt(row.id);
    const month = bonusPeriodAt(now, row.time_zone);
    const last = bonusPeriodAt(month.startMs - 1, row.time_zone);
    const [thisMonth, lastMonth, invoiced] = await Promise.all([
      usageBetween(db, id, month.startMs, month.endMs),
      usageBetween(db, id, last.startMs, last.endMs),
      purchasedBetween(db, id, invoiceProvider, month.startMs, month.endMs),
    ]);
    const own = limits.get(id) ?? null;
    overview.push({
      id,
      name: row.name,
      plan: row.plan,
      isTrial: toBool(row.is_trial),
      currency: row.currency,
      timeZone: row.time_zone,
      bonusMicros: balanceOf.get(id)?.bonusMicros ?? 0,
      purchasedMicros: balanceOf.get(id)?.purchasedMicros ?? 0,
      thisMonth,
      lastMonth,
      invoiceLimitMicros: effectiveInvoiceLimit(own),
      invoiceLimitIsDefault: own === null,
      invoicedThisMonthMicros: invoiced,
      pendingRequests: pending.get(id) ?? 0,
    });
  }
  return { companies: overview, defaultInvoiceLimitMicros };
}

/** null: back to the service default. Purchases already waiting stay for the operator to decide. */
export async function setInvoiceLimit(db: Knex, companyId: number, limitMicros: number | null, change: { actor: string; now: number }): Promise<void> {
  if (limitMicros !== null && (!Number.isSafeInteger(limitMicros) || limitMicros < 0 || limitMicros > maxInvoiceLimitMicros)) {
    throw new CallerError("bad_request", `The invoice limit must be a whole number of micro-dollars from 0 to ${maxInvoiceLimitMicros}`, { reason: "invoice_limit_range", params: { minMicros: 0, maxMicros: maxInvoiceLimitMicros } });
  }
  await db.transaction(async (trx) => {
    if ((await getCompany(trx, companyId)) === undefined) throw new CallerError("not_found", `No company ${companyId}`);
    await saveInvoiceLimit(trx, companyId, limitMicros);
    await logOperatorAction(trx, { actor: change.actor, action: "invoice_limit_set", companyId, details: { limitMicros }, at: change.now });
  });
}
