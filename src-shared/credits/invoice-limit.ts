/**
 * Pay by invoice extends credit to a company: the operator is paid later. Up
 * to the company's monthly invoice limit a purchase posts at once; a purchase
 * that would take the month's invoiced total past it waits for the operator.
 */
export const defaultInvoiceLimitMicros = 50_000_000;
/** The most an operator may let a company invoice per month without approval. */
export const maxInvoiceLimitMicros = 100_000_000_000;

export interface InvoiceLimitInput {
  /** The company's own limit; null: the service default. */
  limitMicros: number | null;
  /** Invoice purchases already posted this calendar month (company's zone). */
  invoicedThisMonthMicros: number;
  amountMicros: number;
}

export function effectiveInvoiceLimit(limitMicros: number | null): number {
  return limitMicros ?? defaultInvoiceLimitMicros;
}

/** "post": within the limit; "approval": the operator decides first. */
export function invoiceDecision(input: InvoiceLimitInput): "post" | "approval" {
  return input.invoicedThisMonthMicros + input.amountMicros <= effectiveInvoiceLimit(input.limitMicros) ? "post" : "approval";
}
