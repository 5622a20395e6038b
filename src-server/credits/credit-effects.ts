import type { BalanceSnapshot } from "./ledger-repo";

/** Admins are told once per crossing that the company's credit fell below their threshold. */
export interface LowBalanceWarning {
  companyId: number;
  totalMicros: number;
  thresholdMicros: number;
}

/**
 * What a committed write did to credit, as plain data (it may come back from
 * a worker thread): low-balance mail and this process's tariff cache follow
 * it only after the commit, never before.
 */
export interface CreditEffects {
  balances: BalanceSnapshot[];
  /** Calls whose CDR ended them (their holds were released in the same commit). */
  endedCalls: string[];
  warnings: LowBalanceWarning[];
}

export function noEffects(): CreditEffects {
  return { balances: [], endedCalls: [], warnings: [] };
}

export function isCreditEffects(value: unknown): value is CreditEffects {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<CreditEffects>;
  return Array.isArray(v.balances) && Array.isArray(v.endedCalls) && Array.isArray(v.warnings);
}
