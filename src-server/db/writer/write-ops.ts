import type { Knex } from "knex";
import { saveAuthorization, type AuthorizationRecord } from "../../calls/authorize";
import { ingestCdrs } from "../../calls/cdr-ingest";
import type { CdrRecord } from "../../calls/cdr-record";
import type { WriteOp } from "./group-commit";
import type { WriteContext } from "./write-context";

/**
 * Every write that goes through the durable writer, by name. Inputs and
 * results are plain data (they may cross to a worker thread); each runs inside
 * a transaction it shares with the writes committed alongside it.
 */
export const writeOps = {
  recordAuthorization: (trx: Knex.Transaction, input: { record: AuthorizationRecord; now: number }) => saveAuthorization(trx, input.record, input.now),
  ingestCdrs: (trx: Knex.Transaction, input: { cdrs: CdrRecord[]; now: number }, ctx: WriteContext) => ingestCdrs(trx, input.cdrs, input.now, ctx.log),
} as const satisfies Record<string, WriteOp>;

export type WriteOps = typeof writeOps;
export type WriteOpName = keyof WriteOps;
export type WriteInput<K extends WriteOpName> = Parameters<WriteOps[K]>[1];
export type WriteResult<K extends WriteOpName> = Awaited<ReturnType<WriteOps[K]>>;
