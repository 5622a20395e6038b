import type { Knex } from "knex";
import type { HistoryCall } from "../../src-shared/api/contract";
import { outcomeEnglishName } from "../../src-shared/crm/logged-outcome";
import { CallerError } from "../../src-shared/errors";
import { DefaultOutcomeKey } from "../../src-shared/server-api/company-admin";
import type { CallEditReply, CallPatch } from "../../src-shared/server-api/sync-edits";
import { appendChange } from "../db/changes-repo";
import { findCallForUpdate, toHistoryCall } from "../db/calls-repo";
import { toInt } from "../db/row-values";
import type { RequestAuth } from "../http/app";
import { ensureOutcomeDefaults, getOutcome, outcomeName } from "../company/outcomes-repo";
import { claimEditKey, decideFields, effectiveEditTime, refuseField, type FieldEdit } from "./field-edits";

interface CallEditRow {
  id: number | string;
  user_id: number | string;
  pbx_uniqueid: string;
  outcome_id: number | null;
  outcome_name: string | null;
  outcome_key: string | null;
  outcome_notes: string | null;
  outcome_at: number | string | null;
  started_at: number | string;
}

/** A user's own call, or any of the company's for an admin; anything else does not exist. */
async function findEditableCall(db: Knex, auth: RequestAuth, id: number): Promise<CallEditRow> {
  const query = db("calls").where({ company_id: auth.companyId, id });
  if (auth.role !== "admin") void query.andWhere("user_id", auth.userId);
  const row = await query.first<CallEditRow | undefined>("id", "user_id", "pbx_uniqueid", "outcome_id", "outcome_name", "outcome_key", "outcome_notes", "outcome_at", "started_at");
  if (row === undefined) throw new CallerError("not_found", "No such call of yours", { reason: "unknown_call" });
  return row;
}

async function readCall(trx: Knex.Transaction, row: CallEditRow): Promise<HistoryCall> {
  const record = await findCallForUpdate(trx, row.pbx_uniqueid);
  if (record === undefined) throw new CallerError("not_found", "No such call of yours", { reason: "unknown_call" });
  const recording = await trx("recordings").where({ call_id: toInt(row.id) }).first<{ id: number | string } | undefined>();
  return toHistoryCall(record, recording === undefined ? undefined : String(recording.id));
}

/** The call as history shows it (the app asks after an edit the server refused, to put its copy right). */
export function readHistoryCall(db: Knex, auth: RequestAuth, id: number): Promise<HistoryCall> {
  return db.transaction(async (trx) => readCall(trx, await findEditableCall(trx, auth, id)));
}

export interface CallEdit {
  patch: CallPatch;
  editedAt: number;
  idempotencyKey: string;
}

/**
 * An outcome or notes edited in history (maybe offline, replayed later): last
 * writer wins per field, the other version kept; an outcome no longer offered
 * is refused and kept too. The call is announced to its owner either way.
 */
export async function editCall(trx: Knex.Transaction, auth: RequestAuth, id: number, edit: CallEdit, now: number): Promise<CallEditReply> {
  const row = await findEditableCall(trx, auth, id);
  const target = { companyId: auth.companyId, entity: "call", entityId: String(row.id) } as const;
  const read = () => readCall(trx, row);
  if (!(await claimEditKey(trx, target, edit.idempotencyKey, auth.userId, now))) return { applied: [], kept: [], refused: [], replay: true, call: await read() };

  const at = effectiveEditTime(edit.editedAt, now);
  const setAt = row.outcome_at === null ? toInt(row.started_at) : toInt(row.outcome_at);
  const refused: string[] = [];
  const edits: FieldEdit[] = [];
  let outcome: Awaited<ReturnType<typeof getOutcome>>;
  if (edit.patch.outcomeId !== undefined) {
    await ensureOutcomeDefaults(trx, auth.companyId, now);
    outcome = await getOutcome(trx, auth.companyId, edit.patch.outcomeId);
    if (outcome === undefined || outcome.deleted || !outcome.enabled) {
      refused.push("outcome");
      await refuseField(trx, target, "outcome", outcome === undefined ? edit.patch.outcomeId : outcomeName(outcome), at, auth.userId, now);
    } else edits.push({ field: "outcome", value: outcomeName(outcome), current: outcomeEnglishName({ name: row.outcome_name, key: DefaultOutcomeKey.safeParse(row.outcome_key).data ?? null }), setAt });
  }
  const notes = edit.patch.notes?.trim();
  if (notes !== undefined) edits.push({ field: "notes", value: notes === "" ? null : notes, current: row.outcome_notes, setAt });
  const decision = await decideFields(trx, target, edits, at, auth.userId, now);

  const columns: Record<string, unknown> = {};
  if (decision.won.includes("outcome") && outcome !== undefined) Object.assign(columns, { outcome_id: outcome.id, outcome_name: outcome.name, outcome_key: outcome.key });
  if (decision.won.includes("notes")) columns.outcome_notes = notes === "" ? null : notes;
  // outcome_at stays the picker's time: it dates the fields no versioned edit has touched yet.
  if (decision.won.length > 0) await trx("calls").where({ id: row.id }).update(columns);
  const call = await read();
  await appendChange(trx, { companyId: auth.companyId, audienceUserId: toInt(row.user_id), entity: "call", entityId: call.id, op: "upsert", data: call, at: now });
  return { applied: decision.won, kept: decision.lost, refused, replay: false, call };
}
