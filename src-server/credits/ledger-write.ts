import type { Knex } from "knex";
import type { CreditEffects } from "./credit-effects";
import { postEntries, type NewLedgerEntry, type PostResult } from "./ledger-repo";
import { checkLowBalance } from "./low-balance";

/**
 * Inside `trx`: appends the entries and, when anything was written, notes the
 * new balance (and a low-balance crossing) in `effects` for after the commit.
 */
export async function writeCredit(trx: Knex.Transaction, companyId: number, entries: readonly NewLedgerEntry[], now: number, effects: CreditEffects): Promise<PostResult> {
  const result = await postEntries(trx, companyId, entries, now);
  if (result.written === 0) return result;
  effects.balances.push(result.after);
  const warning = await checkLowBalance(trx, result.after, now);
  if (warning !== null) effects.warnings.push(warning);
  return result;
}
