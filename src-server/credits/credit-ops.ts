import type { Knex } from "knex";
import { ingestCdrs } from "../calls/cdr-ingest";
import type { CdrRecord } from "../calls/cdr-record";
import type { SaveOutcome } from "../calls/save-call";
import type { WriteContext } from "../db/writer/write-context";
import { postCallCharge, type CallCharge } from "./call-charge";
import { noEffects, type CreditEffects } from "./credit-effects";

/** The durable writer's CDR op: call records, and the charge of every call they end, with what that did to credit. */
export async function ingestCdrsOp(trx: Knex.Transaction, input: { cdrs: CdrRecord[]; now: number }, ctx: WriteContext): Promise<{ outcomes: SaveOutcome[]; credits: CreditEffects }> {
  const credits = noEffects();
  const outcomes = await ingestCdrs(trx, input.cdrs, input.now, ctx, credits);
  return { outcomes, credits };
}

/** One call's charge on its own (a PBX without CDRs could use it). */
export async function postCallChargeOp(trx: Knex.Transaction, input: { charge: CallCharge; now: number }): Promise<{ credits: CreditEffects }> {
  const credits = noEffects();
  await postCallCharge(trx, input.charge, input.now, credits);
  return { credits };
}

/**
 * Many calls' charges in one write (what arrived together): each in its own
 * savepoint, so one that fails is undone alone and reported by its index.
 */
export async function postCallChargesOp(trx: Knex.Transaction, input: { charges: CallCharge[]; now: number }): Promise<{ credits: CreditEffects; failed: { index: number; message: string }[] }> {
  const credits = noEffects();
  const failed: { index: number; message: string }[] = [];
  for (const [index, charge] of input.charges.entries()) {
    const effects = noEffects();
    const error = await trx.transaction((sp) => postCallCharge(sp, charge, input.now, effects)).then(() => null, (e: unknown) => e);
    if (error !== null) {
      failed.push({ index, message: error instanceof Error ? error.message : "the charge failed" });
      continue;
    }
    credits.balances.push(...effects.balances);
    credits.endedCalls.push(...effects.endedCalls);
    credits.warnings.push(...effects.warnings);
  }
  return { credits, failed };
}
