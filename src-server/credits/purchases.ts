import type { Knex } from "knex";
import { assertNever } from "../../src-shared/assert-never";
import { invoiceDecision } from "../../src-shared/credits/invoice-limit";
import { bonusPeriodAt } from "../../src-shared/credits/monthly-bonus";
import { checkPurchase, purchaseUnitsMicros, trialMaxPurchaseMicros, type PurchaseRefusal } from "../../src-shared/credits/purchase-rules";
import { CallerError } from "../../src-shared/errors";
import type { BillingDetails, Purchase } from "../../src-shared/server-api/credits";
import { appendChange } from "../db/changes-repo";
import { getCompany } from "../db/companies-repo";
import { toInt } from "../db/row-values";
import { readBillingDetails } from "./billing-repo";
import { noEffects, type CreditEffects } from "./credit-effects";
import { purchasedBetween, readInvoiceLimit } from "./invoice-limit-repo";
import { lockBalance } from "./ledger-repo";
import { writeCredit } from "./ledger-write";
import { adminIds } from "./low-balance";
import type { PaymentProvider } from "./payment-provider";
import { findPurchaseRequestByKey, insertPurchaseRequest, type PurchaseRequestRecord } from "./purchase-requests-repo";

interface PurchaseRow {
  id: number;
  company_id: number;
  amount_micros: number | string;
  idempotency_key: string;
  user_id: number | null;
  provider: string;
  billing_json: string;
  reference: string;
  status: "invoiced" | "paid";
  created_at: number | string;
}

const toPurchase = (row: PurchaseRow): Purchase => ({
  id: String(row.id),
  amountMicros: toInt(row.amount_micros),
  reference: row.reference,
  status: row.status,
  createdAt: toInt(row.created_at),
});

/** A request over the invoice limit, as the admin's app sees it: no invoice yet. */
export const requestAsPurchase = (request: PurchaseRequestRecord): Purchase => ({
  id: `request-${request.id}`,
  amountMicros: request.amountMicros,
  reference: "",
  status: request.status === "declined" ? "declined" : "awaiting_approval",
  createdAt: request.createdAt,
});

export function purchaseRefusal(reason: PurchaseRefusal): CallerError {
  switch (reason) {
    case "plan_without_caller":
      return new CallerError("forbidden", "Calling credit is for the Professional and Enterprise plans", { reason });
    case "not_a_credit_unit":
      return new CallerError("bad_request", "Credit is bought in units of $5, $10 or $15", { reason, params: { smallMicros: purchaseUnitsMicros[0], middleMicros: purchaseUnitsMicros[1], largeMicros: purchaseUnitsMicros[2] } });
    case "trial_limit_exceeded":
      return new CallerError("forbidden", "A trial may buy at most $5 of credit per payment", { reason, params: { maxMicros: trialMaxPurchaseMicros } });
    case "billing_details_required":
      return new CallerError("conflict", "A trial needs billing details on file before buying credit", { reason });
    default:
      return assertNever(reason, "purchase refusal");
  }
}

export interface PurchaseInput {
  companyId: number;
  userId: number;
  amountMicros: number;
  idempotencyKey: string;
  now: number;
}

const findByKey = (db: Knex, companyId: number, key: string): Promise<PurchaseRow | undefined> =>
  db<PurchaseRow>("credit_purchases").where({ company_id: companyId, idempotency_key: key }).first();

/** Each of the company's admins hears of it through the change feed (their apps read the credits again). */
export async function tellAdmins(trx: Knex.Transaction, companyId: number, data: Record<string, unknown>, now: number): Promise<void> {
  for (const adminId of await adminIds(trx, companyId)) {
    await appendChange(trx, { companyId, audienceUserId: adminId, entity: "credits", entityId: String(companyId), op: "upsert", data, at: now });
  }
}

export interface PostedPurchase {
  companyId: number;
  userId: number | null;
  amountMicros: number;
  idempotencyKey: string;
  billing: BillingDetails | null;
  now: number;
}

/**
 * Inside `trx`, the one path by which bought credit reaches the ledger (at
 * once, or on the operator's approval): the provider is asked to collect, the
 * credit is added as a `purchase` entry, the admins are told.
 */
export async function postPurchase(trx: Knex.Transaction, provider: PaymentProvider, input: PostedPurchase, effects: CreditEffects): Promise<Purchase> {
  const [inserted] = await trx<PurchaseRow>("credit_purchases")
    .insert({
      company_id: input.companyId,
      user_id: input.userId,
      amount_micros: input.amountMicros,
      idempotency_key: input.idempotencyKey,
      provider: provider.name,
      reference: "",
      status: "invoiced",
      billing_json: JSON.stringify(input.billing),
      created_at: input.now,
    })
    .returning("*");
  if (inserted === undefined) throw new Error("insert into credit_purchases returned no row");
  const paid = await provider.collect(trx, { companyId: input.companyId, purchaseId: toInt(inserted.id), amountMicros: input.amountMicros, billing: input.billing, at: input.now });
  const [row] = await trx<PurchaseRow>("credit_purchases").where({ id: inserted.id }).update({ reference: paid.reference, status: paid.status }).returning("*");
  await writeCredit(
    trx,
    input.companyId,
    [{ bucket: "purchased", kind: "purchase", amountMicros: input.amountMicros, idempotencyKey: `purchase:${inserted.id}`, userId: input.userId, note: paid.reference }],
    input.now,
    effects,
  );
  await tellAdmins(trx, input.companyId, { kind: "purchase", purchaseId: String(inserted.id), amountMicros: input.amountMicros }, input.now);
  return toPurchase(row ?? inserted);
}

/** Over the monthly invoice limit? The month is the company's calendar month. */
async function needsApproval(trx: Knex.Transaction, provider: PaymentProvider, companyId: number, timeZone: string, amountMicros: number, now: number): Promise<boolean> {
  if (!provider.extendsCredit) return false;
  const month = bonusPeriodAt(now, timeZone);
  const [limitMicros, invoicedThisMonthMicros] = await Promise.all([readInvoiceLimit(trx, companyId), purchasedBetween(trx, companyId, provider.name, month.startMs, month.endMs)]);
  return invoiceDecision({ limitMicros, invoicedThisMonthMicros, amountMicros }) === "approval";
}

/**
 * Buys one unit: the purchase rules checked here (never trusted from the
 * app), then either posted at once or, over the company's invoice limit,
 * left waiting for the operator. The same idempotency key again returns the
 * first answer and buys nothing.
 */
export async function purchaseCredit(db: Knex, provider: PaymentProvider, input: PurchaseInput): Promise<{ purchase: Purchase; effects: CreditEffects }> {
  const effects = noEffects();
  const earlierAnswer = async (trx: Knex): Promise<Purchase | undefined> => {
    const earlier = await findByKey(trx, input.companyId, input.idempotencyKey);
    if (earlier !== undefined) return toPurchase(earlier);
    const request = await findPurchaseRequestByKey(trx, input.companyId, input.idempotencyKey);
    return request === undefined ? undefined : requestAsPurchase(request);
  };
  try {
    const purchase = await db.transaction(async (trx) => {
      // Purchases of one company take turns (PostgreSQL): two cannot both fit under the same limit.
      await lockBalance(trx, input.companyId);
      const earlier = await earlierAnswer(trx);
      if (earlier !== undefined) return earlier;
      const company = await getCompany(trx, input.companyId);
      if (company === undefined) throw new CallerError("not_found", "The company no longer exists");
      const billing = await readBillingDetails(trx, input.companyId);
      const decision = checkPurchase({ plan: company.plan, isTrial: company.isTrial, hasBillingDetails: billing !== null, amountMicros: input.amountMicros });
      if (!decision.ok) throw purchaseRefusal(decision.reason);
      if (await needsApproval(trx, provider, input.companyId, company.timeZone, input.amountMicros, input.now)) {
        const request = await insertPurchaseRequest(trx, { companyId: input.companyId, userId: input.userId, amountMicros: input.amountMicros, idempotencyKey: input.idempotencyKey, createdAt: input.now });
        await tellAdmins(trx, input.companyId, { kind: "purchase_request", requestId: request.id, amountMicros: request.amountMicros, status: request.status }, input.now);
        return requestAsPurchase(request);
      }
      return postPurchase(trx, provider, { companyId: input.companyId, userId: input.userId, amountMicros: input.amountMicros, idempotencyKey: input.idempotencyKey, billing, now: input.now }, effects);
    });
    return { purchase, effects };
  } catch (error) {
    // PostgreSQL: a concurrent retry with the same key committed first; answer with its purchase.
    const raced = error instanceof CallerError ? undefined : await earlierAnswer(db);
    if (raced === undefined) throw error;
    return { purchase: raced, effects: noEffects() };
  }
}
