import { planIncludesCaller } from "../domain/company";
import type { Plan } from "../domain/company";

/** Credit is bought one unit per payment: $5, $10 or $15. Purchased credit never expires. */
export const purchaseUnitsMicros = [5_000_000, 10_000_000, 15_000_000] as const;
export const trialMaxPurchaseMicros = 5_000_000;

export const purchaseRefusals = ["plan_without_caller", "not_a_credit_unit", "trial_limit_exceeded", "billing_details_required"] as const;
export type PurchaseRefusal = (typeof purchaseRefusals)[number];

export interface PurchaseInput {
  plan: Plan;
  isTrial: boolean;
  hasBillingDetails: boolean;
  amountMicros: number;
}

export type PurchaseDecision = { ok: true } | { ok: false; reason: PurchaseRefusal };

/** The units the credits screen offers: none without Caller, $5 only on a trial. */
export function allowedPurchaseUnits(company: { plan: Plan; isTrial: boolean }): readonly number[] {
  if (!planIncludesCaller(company.plan)) return [];
  return company.isTrial ? purchaseUnitsMicros.filter((unit) => unit <= trialMaxPurchaseMicros) : purchaseUnitsMicros;
}

/**
 * May this company buy this amount? The amount is checked before billing
 * details, so a trial asking for $10 hears about the $5 limit first.
 */
export function checkPurchase(input: PurchaseInput): PurchaseDecision {
  if (!planIncludesCaller(input.plan)) return { ok: false, reason: "plan_without_caller" };
  if (!(purchaseUnitsMicros as readonly number[]).includes(input.amountMicros)) return { ok: false, reason: "not_a_credit_unit" };
  if (input.isTrial && input.amountMicros > trialMaxPurchaseMicros) return { ok: false, reason: "trial_limit_exceeded" };
  if (input.isTrial && !input.hasBillingDetails) return { ok: false, reason: "billing_details_required" };
  return { ok: true };
}
