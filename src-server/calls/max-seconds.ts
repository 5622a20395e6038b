/** Trials cap every call at 10 minutes (ARCHITECTURE.md, "Money and credits"). */
export const trialMaxCallSeconds = 600;

export interface MaxSecondsInput {
  company: { isTrial: boolean; maxCallSeconds: number };
  userId: number;
  /** E.164 destination, for a rate-aware limit. */
  to: string;
}

/**
 * The longest this call may last, in seconds; 0 or less refuses it as
 * `no_credit`. The hook where the credits issue plugs in the balance: the
 * minutes it buys at the destination's rate, capped by what is returned here now.
 */
export function maxSecondsFor(input: MaxSecondsInput): number {
  const { company } = input;
  return company.isTrial ? Math.min(company.maxCallSeconds, trialMaxCallSeconds) : company.maxCallSeconds;
}
