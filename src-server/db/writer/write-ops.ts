import type { Knex } from "knex";
import { saveAuthorization, type AuthorizationRecord } from "../../calls/authorize";
import { pbxLostOp, pbxSeenOp, recordAnswersOp, startPbxSessionOp } from "../../calls/pbx-loss";
import { ingestCdrsOp } from "../../credits/credit-ops";
import { saveInboundCall } from "../../inbound/inbound-routing";
import type { WriteOp } from "./group-commit";

/**
 * Every write that goes through the durable writer, by name. Inputs and
 * results are plain data (they may cross to a worker thread); each runs inside
 * a transaction it shares with the writes committed alongside it.
 */
export const writeOps = {
  recordAuthorization: (trx: Knex.Transaction, input: { record: AuthorizationRecord; now: number }) => saveAuthorization(trx, input.record, input.now),
  recordInboundCall: saveInboundCall,
  ingestCdrs: ingestCdrsOp,
  recordAnswers: recordAnswersOp,
  startPbxSession: startPbxSessionOp,
  pbxLost: pbxLostOp,
  pbxSeen: pbxSeenOp,
} as const satisfies Record<string, WriteOp>;

export type WriteOps = typeof writeOps;
export type WriteOpName = keyof WriteOps;
export type WriteInput<K extends WriteOpName> = Parameters<WriteOps[K]>[1];
export type WriteResult<K extends WriteOpName> = Awaited<ReturnType<WriteOps[K]>>;
