import type { Knex } from "knex";
import { CallerError } from "../../src-shared/errors";
import { outcomeEnglishName } from "../../src-shared/crm/logged-outcome";
import { DefaultOutcomeKey, type LoggedOutcome } from "../../src-shared/server-api/company-admin";
import { appendChange } from "../db/changes-repo";
import { findCallForUpdate, toHistoryCall } from "../db/calls-repo";
import { toInt } from "../db/row-values";
import type { RequestAuth } from "../http/app";
import { ensureOutcomeDefaults, getOutcome } from "./outcomes-repo";

interface OutcomeColumns {
  id: number | string;
  user_id: number | string;
  pbx_uniqueid: string;
  outcome_id: number | null;
  outcome_name: string | null;
  outcome_key: string | null;
  outcome_notes: string | null;
  outcome_at: number | string | null;
  outcome_request_key: string | null;
}

export interface LogOutcomeInput {
  /** The server's call id (digits) or the softphone's client call id (a UUID). */
  callRef: string;
  outcomeId: number;
  notes: string;
  idempotencyKey: string;
}

/** The caller's view of a call: their own, or any in the company for an admin; otherwise it does not exist. */
async function findCall(trx: Knex.Transaction, auth: RequestAuth, callRef: string): Promise<OutcomeColumns> {
  const query = trx("calls").where("company_id", auth.companyId);
  if (/^[0-9]+$/.test(callRef)) void query.where("id", Number(callRef));
  else void query.where("client_call_id", callRef.toLowerCase()).orderBy("id", "desc");
  if (auth.role !== "admin") void query.where("user_id", auth.userId);
  const row = await query.first<OutcomeColumns | undefined>();
  if (row === undefined) throw new CallerError("not_found", "No such call of yours");
  return row;
}

function toLogged(row: OutcomeColumns): LoggedOutcome {
  return {
    callId: String(row.id),
    outcomeId: row.outcome_id ?? 0,
    outcome: outcomeEnglishName({ name: row.outcome_name, key: DefaultOutcomeKey.safeParse(row.outcome_key).data ?? null }) ?? "",
    key: (row.outcome_key as LoggedOutcome["key"]) ?? null,
    notes: row.outcome_notes,
    loggedAt: row.outcome_at === null ? 0 : toInt(row.outcome_at),
  };
}

/**
 * Logs (or changes) a call's outcome, saved with the call and sent to its
 * owner through the change feed. A replay with the same idempotency key
 * answers what the first one stored and writes nothing.
 */
export async function logCallOutcome(
  trx: Knex.Transaction,
  auth: RequestAuth,
  input: LogOutcomeInput,
  now: number,
): Promise<LoggedOutcome> {
  const call = await findCall(trx, auth, input.callRef);
  if (call.outcome_request_key === input.idempotencyKey) return toLogged(call);
  await ensureOutcomeDefaults(trx, auth.companyId, now);
  const outcome = await getOutcome(trx, auth.companyId, input.outcomeId);
  // 409 for any unusable outcome: 404 on this route means the call, which the app then stops asking about.
  if (outcome === undefined || outcome.deleted || !outcome.enabled) throw new CallerError("conflict", "This outcome is no longer offered: pick another", { reason: "outcome_withdrawn" });
  const notes = input.notes.trim();
  const columns = {
    outcome_id: outcome.id,
    // A default is stored by its key alone; only an admin's name is stored as text.
    outcome_name: outcome.name,
    outcome_key: outcome.key,
    outcome_notes: notes === "" ? null : notes,
    outcome_at: now,
    outcome_by: auth.userId,
    outcome_request_key: input.idempotencyKey,
  };
  const callId = toInt(call.id);
  await trx("calls").where({ id: callId }).update(columns);
  const record = await findCallForUpdate(trx, call.pbx_uniqueid);
  if (record === undefined) throw new Error(`call ${callId} vanished while logging its outcome`);
  const recording = await trx("recordings").where({ call_id: callId }).first<{ id: number | string } | undefined>();
  await appendChange(trx, {
    companyId: auth.companyId,
    audienceUserId: toInt(call.user_id),
    entity: "call",
    entityId: String(callId),
    op: "upsert",
    data: toHistoryCall(record, recording === undefined ? undefined : String(recording.id)),
    at: now,
  });
  return toLogged({ ...call, ...columns });
}
