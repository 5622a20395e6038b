import type { Knex } from "knex";
import { ingestCdrs } from "../calls/cdr-ingest";
import type { CdrRecord } from "../calls/cdr-record";
import type { SaveOutcome } from "../calls/save-call";
import type { WriteContext } from "../db/writer/write-context";
import { chargeOnSqlite, checkLowBalanceOf, postCallCharge, type CallCharge } from "./call-charge";
import { sqliteConnection, sqliteLedger } from "./sqlite-charge";
import { noEffects, type CreditEffects } from "./credit-effects";
import { applyAfterCommit } from "./credits-runtime";

/** The durable writer's CDR op: call records, and the charge of every call they end, with what that did to credit. */
export async function ingestCdrsOp(trx: Knex.Transaction, input: { cdrs: CdrRecord[]; now: number }, ctx: WriteContext): Promise<{ outcomes: SaveOutcome[]; credits: CreditEffects }> {
  const credits = noEffects();
  const outcomes = await ingestCdrs(trx, input.cdrs, input.now, ctx.log, credits);
  return { outcomes, credits };
}

/** One call's charge on its own (the ledger bench; a PBX without CDRs could use it too). */
export async function postCallChargeOp(trx: Knex.Transaction, input: { charge: CallCharge; now: number }): Promise<{ credits: CreditEffects }> {
  const credits = noEffects();
  applyAfterCommit(trx, credits);
  await postCallCharge(trx, input.charge, input.now, credits);
  return { credits };
}

/**
 * Many calls' charges in one write (what arrived together): each in its own
 * savepoint, so one that fails is undone alone and reported by its index.
 * On SQLite the charge itself runs synchronously on the connection.
 */
export async function postCallChargesOp(trx: Knex.Transaction, input: { charges: CallCharge[]; now: number }): Promise<{ credits: CreditEffects; failed: { index: number; message: string }[] }> {
  const credits = noEffects();
  applyAfterCommit(trx, credits);
  const failed: { index: number; message: string }[] = [];
  const connection = await sqliteConnection(trx);
  const ledger = connection === null ? null : sqliteLedger(connection);
  for (const [index, charge] of input.charges.entries()) {
    const effects = noEffects();
    let error: unknown = null;
    if (connection === null || ledger === null) {
      error = await trx.transaction((sp) => postCallCharge(sp, charge, input.now, effects)).then(() => null, (e: unknown) => e);
    } else {
      connection.exec("SAVEPOINT credit_charge");
      try {
        const after = chargeOnSqlite(ledger, charge, input.now, effects);
        if (after !== null) await checkLowBalanceOf(trx, after, input.now, effects);
        connection.exec("RELEASE credit_charge");
      } catch (caught) {
        connection.exec("ROLLBACK TO credit_charge");
        connection.exec("RELEASE credit_charge");
        error = caught;
      }
    }
    if (error !== null) {
      failed.push({ index, message: error instanceof Error ? error.message : "the charge failed" });
      continue;
    }
    credits.balances.push(...effects.balances);
    credits.warnings.push(...effects.warnings);
  }
  return { credits, failed };
}
