import type { Knex } from "knex";
import type { BillingDetails } from "../../src-shared/server-api/credits";

export interface PaymentRequest {
  companyId: number;
  purchaseId: number;
  amountMicros: number;
  /** A copy as it was at the purchase: later edits do not rewrite an issued invoice. */
  billing: BillingDetails | null;
  at: number;
}

export interface PaymentOutcome {
  /** The provider's reference: an invoice number, a card processor's payment id. */
  reference: string;
  status: "invoiced" | "paid";
}

/**
 * How credit is paid for. Runs inside the purchase's transaction, so a
 * provider that calls out (a card processor) must be idempotent on purchaseId.
 */
export interface PaymentProvider {
  readonly name: string;
  /** Paid later (an invoice): the operator extends credit, so the company's invoice limit applies. */
  readonly extendsCredit: boolean;
  collect(trx: Knex.Transaction, request: PaymentRequest): Promise<PaymentOutcome>;
}

/**
 * The honest provider for now: nothing is charged here; it issues an invoice
 * to pay (numbered by year and purchase) to the billing details on file.
 */
export class InvoicePaymentProvider implements PaymentProvider {
  readonly name = "invoice";
  readonly extendsCredit = true;

  collect(_trx: Knex.Transaction, request: PaymentRequest): Promise<PaymentOutcome> {
    const year = new Date(request.at).getUTCFullYear();
    return Promise.resolve({ reference: `INV-${year}-${String(request.purchaseId).padStart(6, "0")}`, status: "invoiced" });
  }
}
