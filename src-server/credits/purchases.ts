import type { Knex } from "knex";
import { assertNever } from "../../src-shared/assert-never";
import { checkPurchase, type PurchaseRefusal } from "../../src-shared/credits/purchase-rules";
import { CallerError } from "../../src-shared/errors";
import type { Purchase } from "../../src-shared/server-api/credits";
import { appendChange } from "../db/changes-repo";
import { getCompany } from "../db/companies-repo";
import { toInt } from "../db/row-values";
import { readBillingDetails } from "./billing-repo";
import { noEffects, type CreditEffects } from "./credit-effects";
import { writeCredit } from "./ledger-write";
import { adminIds } from "./low-balance";
import type { PaymentProvider } from "./payment-provider";

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

function refusal(reason: PurchaseRefusal): CallerError {
  switch (reason) {
    case "plan_without_caller":
      return new CallerError("forbidden", "Calling credit is for the Professional and Enterprise plans");
    case "not_a_credit_unit":
      return new CallerError("bad_request", "Credit is bought in units of $5, $10 or $15");
    case "trial_limit_exceeded":
      return new CallerError("forbidden", "A trial may buy at most $5 of credit per payment");
    case "billing_details_required":
      return new CallerError("conflict", "A trial needs billing details on file before buying credit");
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

/**
 * Buys one unit: the purchase rules checked here (never trusted from the
 * app), the provider asked to collect, the credit added as a `purchase` entry,
 * all in one transaction. The same idempotency key again returns the first
 * purchase and buys nothing.
 */
export async function purchaseCredit(db: Knex, provider: PaymentProvider, input: PurchaseInput): Promise<{ purchase: Purchase; effects: CreditEffects }> {
  const effects = noEffects();
  try {
    const purchase = await db.transaction(async (trx) => {
      const earlier = await findByKey(trx, input.companyId, input.idempotencyKey);
      if (earlier !== undefined) return toPurchase(earlier);
      const company = await getCompany(trx, input.companyId);
      if (company === undefined) throw new CallerError("not_found", "The company no longer exists");
      const billing = await readBillingDetails(trx, input.companyId);
      const decision = checkPurchase({ plan: company.plan, isTrial: company.isTrial, hasBillingDetails: billing !== null, amountMicros: input.amountMicros });
      if (!decision.ok) throw refusal(decision.reason);
      const [inserted] = await trx<PurchaseRow>("credit_purchases")
        .insert({
          company_id: input.companyId,
          user_id: input.userId,
          amount_micros: input.amountMicros,
          idempotency_key: input.idempotencyKey,
          provider: provider.name,
          reference: "",
          status: "invoiced",
          billing_json: JSON.stringify(billing),
          created_at: input.now,
        })
        .returning("*");
      if (inserted === undefined) throw new Error("insert into credit_purchases returned no row");
      const paid = await provider.collect(trx, { companyId: input.companyId, purchaseId: toInt(inserted.id), amountMicros: input.amountMicros, billing, at: input.now });
      const [row] = await trx<PurchaseRow>("credit_purchases").where({ id: inserted.id }).update({ reference: paid.reference, status: paid.status }).returning("*");
      await writeCredit(
        trx,
        input.companyId,
        [{ bucket: "purchased", kind: "purchase", amountMicros: input.amountMicros, idempotencyKey: `purchase:${inserted.id}`, userId: input.userId, note: paid.reference }],
        input.now,
        effects,
      );
      // Other admins' apps learn of it on their next sync (the low-balance banner reads the balance again).
      const data = { kind: "purchase", purchaseId: String(inserted.id), amountMicros: input.amountMicros };
      for (const adminId of await adminIds(trx, input.companyId)) {
        await appendChange(trx, { companyId: input.companyId, audienceUserId: adminId, entity: "credits", entityId: String(input.companyId), op: "upsert", data, at: input.now });
      }
      return toPurchase(row ?? inserted);
    });
    return { purchase, effects };
  } catch (error) {
    // PostgreSQL: a concurrent retry with the same key committed first; answer with its purchase.
    const raced = error instanceof CallerError ? undefined : await findByKey(db, input.companyId, input.idempotencyKey);
    if (raced === undefined) throw error;
    return { purchase: toPurchase(raced), effects: noEffects() };
  }
}

export async function listPurchases(db: Knex, companyId: number): Promise<Purchase[]> {
  return (await db<PurchaseRow>("credit_purchases").where({ company_id: companyId }).orderBy("id", "desc").limit(100)).map(toPurchase);
}
