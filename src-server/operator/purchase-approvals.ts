import type { Knex } from "knex";
import { checkPurchase } from "../../src-shared/credits/purchase-rules";
import { CallerError } from "../../src-shared/errors";
import type { Purchase } from "../../src-shared/server-api/credits";
import { readBillingDetails } from "../credits/billing-repo";
import { noEffects, type CreditEffects } from "../credits/credit-effects";
import { lockBalance } from "../credits/ledger-repo";
import type { PaymentProvider } from "../credits/payment-provider";
import { decidePurchaseRequest, getPurchaseRequest, linkPurchase, type PurchaseRequestRecord } from "../credits/purchase-requests-repo";
import { postPurchase, purchaseRefusal, tellAdmins } from "../credits/purchases";
import { getCompany } from "../db/companies-repo";
import { logOperatorAction } from "./operator-actions-repo";

export interface Decision {
  requestId: number;
  /** The operator's email, or "cli:<os user>". */
  actor: string;
  note: string | null;
  now: number;
}

async function pendingRequest(trx: Knex.Transaction, id: number): Promise<PurchaseRequestRecord> {
  const request = await getPurchaseRequest(trx, id);
  if (request === undefined) throw new CallerError("not_found", `No purchase request ${id}`);
  if (request.status !== "pending") throw new CallerError("conflict", `Purchase request ${id} was already ${request.status}`, { reason: "purchase_already_decided" });
  return request;
}

/**
 * The credit is posted the way any purchase is (the invoice issued, the
 * ledger written), with the purchase rules checked again: a company whose
 * plan lost Caller since it asked gets nothing.
 */
export async function approvePurchase(db: Knex, provider: PaymentProvider, decision: Decision): Promise<{ purchase: Purchase; effects: CreditEffects }> {
  const effects = noEffects();
  const purchase = await db.transaction(async (trx) => {
    const request = await pendingRequest(trx, decision.requestId);
    await lockBalance(trx, request.companyId);
    const company = await getCompany(trx, request.companyId);
    if (company === undefined) throw new CallerError("not_found", "The company no longer exists");
    const billing = await readBillingDetails(trx, request.companyId);
    const rules = checkPurchase({ plan: company.plan, isTrial: company.isTrial, hasBillingDetails: billing !== null, amountMicros: request.amountMicros });
    if (!rules.ok) throw new CallerError("conflict", `Cannot approve: ${purchaseRefusal(rules.reason).message}. Decline it instead.`, { reason: "purchase_not_approvable" });
    if (!(await decidePurchaseRequest(trx, request.id, { status: "approved", decidedAt: decision.now, decidedBy: decision.actor, note: decision.note }))) {
      throw new CallerError("conflict", `Purchase request ${request.id} was decided meanwhile`, { reason: "purchase_already_decided" });
    }
    const purchase = await postPurchase(trx, provider, { companyId: request.companyId, userId: request.userId, amountMicros: request.amountMicros, idempotencyKey: request.idempotencyKey, billing, now: decision.now }, effects);
    await linkPurchase(trx, request.id, Number(purchase.id));
    await logOperatorAction(trx, {
      actor: decision.actor,
      action: "purchase_approved",
      companyId: request.companyId,
      details: { requestId: request.id, amountMicros: request.amountMicros, purchaseId: purchase.id, reference: purchase.reference, note: decision.note },
      at: decision.now,
    });
    return purchase;
  });
  return { purchase, effects };
}

/** No credit, no invoice; the company's admins see the answer. */
export async function declinePurchase(db: Knex, decision: Decision): Promise<void> {
  await db.transaction(async (trx) => {
    const request = await pendingRequest(trx, decision.requestId);
    if (!(await decidePurchaseRequest(trx, request.id, { status: "declined", decidedAt: decision.now, decidedBy: decision.actor, note: decision.note }))) {
      throw new CallerError("conflict", `Purchase request ${request.id} was decided meanwhile`, { reason: "purchase_already_decided" });
    }
    await tellAdmins(trx, request.companyId, { kind: "purchase_request", requestId: request.id, amountMicros: request.amountMicros, status: "declined" }, decision.now);
    await logOperatorAction(trx, {
      actor: decision.actor,
      action: "purchase_declined",
      companyId: request.companyId,
      details: { requestId: request.id, amountMicros: request.amountMicros, note: decision.note },
      at: decision.now,
    });
  });
}
