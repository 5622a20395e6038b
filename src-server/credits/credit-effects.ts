import type { BalanceSnapshot } from "./ledger-repo";

/** Admins are told once per crossing that the company's credit fell below their threshold. */
export interface LowBalanceWarning {
  companyId: number;
  totalMicros: number;
  thresholdMicros: number;
}

/**
 * What a committed write did to credit, as plain data (it may come back from
 * a worker thread): the in-memory balances and reservations follow it only
 * after the commit, never before.
 */
export interface CreditEffects {
  balances: BalanceSnapshot[];
  /** Calls whose CDR ended them: their reservations are released. */
  endedCalls: string[];
  warnings: LowBalanceWarning[];
  /** Set by the first to apply them (after-commit hook or the writer's caller): never applied twice. */
  applied?: boolean;
}

export function noEffects(): CreditEffects {
  return { balances: [], endedCalls: [], warnings: [] };
}

export function isCreditEffects(value: unknown): value is CreditEffects {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<CreditEffects>;
  return Array.isArray(v.balances) && Array.isArray(v.endedCalls) && Array.isArray(v.warnings);
}
