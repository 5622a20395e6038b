import { authorizeCall, type CallAuthorization, type CallBalance } from "../../src-shared/credits/authorize-call";
import type { CostRow } from "../../src-shared/credits/cost";
import type { Plan } from "../../src-shared/domain/company";

export interface MaxSecondsInput {
  company: { companyId: number; plan: Plan; isTrial: boolean; maxCallSeconds: number };
  /** E.164 destination: its rate decides how long the balance lasts. */
  to: string;
}

/** What the limit reads, all from memory: balances less reservations, the rate for the number now, the trial cap. */
export interface CallCredits {
  balance(companyId: number): CallBalance;
  rowFor(companyId: number, to: string): CostRow | null;
  trialCapSeconds: number;
}

/**
 * The longest this call may last: what the available credit buys at the
 * destination's rate, capped by the trial's 10 minutes and the company's
 * maximum. No rate for the number refuses it as destination_blocked, nothing
 * left to spend as no_credit.
 */
export function maxSecondsFor(input: MaxSecondsInput, credits: CallCredits): CallAuthorization {
  const { company } = input;
  // A company allowed no call time at all has nothing to spend on calls.
  if (company.maxCallSeconds <= 0) return { ok: false, reason: "no_credit" };
  return authorizeCall({
    plan: company.plan,
    isTrial: company.isTrial,
    callerEnabled: true,
    balance: credits.balance(company.companyId),
    row: credits.rowFor(company.companyId, input.to),
    trialCapSeconds: credits.trialCapSeconds,
    companyMaxSeconds: company.maxCallSeconds,
  });
}
