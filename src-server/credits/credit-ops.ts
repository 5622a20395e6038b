import type { Knex } from "knex";
import { ingestCdrs } from "../calls/cdr-ingest";
import type { CdrRecord } from "../calls/cdr-record";
import type { SaveOutcome } from "../calls/save-call";
import type { WriteContext } from "../db/writer/write-context";
import { noEffects, type CreditEffects } from "./credit-effects";

/** The durable writer's CDR op: call records, and the charge of every call they end, with what that did to credit. */
export async function ingestCdrsOp(trx: Knex.Transaction, input: { cdrs: CdrRecord[]; now: number }, ctx: WriteContext): Promise<{ outcomes: SaveOutcome[]; credits: CreditEffects }> {
  const credits = noEffects();
  const outcomes = await ingestCdrs(trx, input.cdrs, input.now, ctx, credits);
  return { outcomes, credits };
}
