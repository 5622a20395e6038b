import type { Knex } from "knex";
import { CallerError } from "../../src-shared/errors";
import { defaultOutcomeKeys, defaultOutcomeNames, DefaultOutcomeKey, type Outcome } from "../../src-shared/server-api/company-admin";
import { toBool, toInt } from "../db/row-values";

interface OutcomeRow {
  id: number;
  company_id: number;
  key: string | null;
  name: string | null;
  name_folded: string;
  position: number;
  enabled: boolean | number;
  created_at: number | string;
  updated_at: number | string;
  deleted_at: number | string | null;
}

export interface OutcomeRecord extends Outcome {
  companyId: number;
  deleted: boolean;
}

function toRecord(row: OutcomeRow): OutcomeRecord {
  const key = DefaultOutcomeKey.safeParse(row.key);
  return {
    id: toInt(row.id),
    companyId: toInt(row.company_id),
    key: key.success ? key.data : null,
    name: row.name,
    enabled: toBool(row.enabled),
    position: toInt(row.position),
    deleted: row.deleted_at !== null,
  };
}

export function toOutcome(record: OutcomeRecord): Outcome {
  const { id, key, name, enabled, position } = record;
  return { id, key, name, enabled, position };
}

/** The name the server compares and snapshots: the admin's, else the default's English one. */
export function outcomeName(outcome: Pick<Outcome, "key" | "name">): string {
  if (outcome.name !== null) return outcome.name;
  return outcome.key === null ? "" : defaultOutcomeNames[outcome.key];
}

const fold = (name: string): string => name.toLocaleLowerCase("en-US");

/** First touch of a company's outcomes: the settings row and the defaults appear together, once. */
export async function ensureOutcomeDefaults(trx: Knex.Transaction, companyId: number, now: number): Promise<void> {
  const inserted = await trx("outcome_settings").insert({ company_id: companyId, required: false, updated_at: now }).onConflict("company_id").ignore().returning("company_id");
  if (inserted.length === 0) return;
  await trx<OutcomeRow>("outcomes").insert(
    defaultOutcomeKeys.map((key, position) => ({
      company_id: companyId,
      key,
      name: null,
      name_folded: fold(defaultOutcomeNames[key]),
      position,
      enabled: true,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    })),
  );
}

export async function outcomeRequired(db: Knex, companyId: number): Promise<boolean> {
  const row = await db("outcome_settings").where({ company_id: companyId }).first<{ required: boolean | number } | undefined>();
  return row === undefined ? false : toBool(row.required);
}

export async function setOutcomeRequired(trx: Knex.Transaction, companyId: number, required: boolean, now: number): Promise<void> {
  await trx("outcome_settings").where({ company_id: companyId }).update({ required, updated_at: now });
}

/** Live (not deleted) outcomes in the admin's order. */
export async function listOutcomes(db: Knex, companyId: number): Promise<OutcomeRecord[]> {
  const rows = await db<OutcomeRow>("outcomes").where({ company_id: companyId }).whereNull("deleted_at").orderBy([{ column: "position" }, { column: "id" }]);
  return rows.map(toRecord);
}

/** Deleted ones too: a past call's outcome is still named. */
export async function getOutcome(db: Knex, companyId: number, id: number): Promise<OutcomeRecord | undefined> {
  const row = await db<OutcomeRow>("outcomes").where({ company_id: companyId, id }).first();
  return row === undefined ? undefined : toRecord(row);
}

async function assertNameFree(trx: Knex.Transaction, companyId: number, name: string, exceptId: number | null): Promise<void> {
  const query = trx<OutcomeRow>("outcomes").where({ company_id: companyId, name_folded: fold(name) }).whereNull("deleted_at");
  const clash = await (exceptId === null ? query : query.whereNot({ id: exceptId })).first();
  if (clash !== undefined) {
    const taken = outcomeName(toRecord(clash));
    throw new CallerError("conflict", `An outcome named "${taken}" already exists`, { reason: "outcome_name_taken", params: { name: taken } });
  }
}

export async function createOutcome(trx: Knex.Transaction, companyId: number, name: string, now: number): Promise<OutcomeRecord> {
  await assertNameFree(trx, companyId, name, null);
  const last = await trx<OutcomeRow>("outcomes").where({ company_id: companyId }).whereNull("deleted_at").max({ p: "position" }).first();
  const position = last?.p === null || last?.p === undefined ? 0 : toInt(last.p as number) + 1;
  const rows = await trx<OutcomeRow>("outcomes")
    .insert({ company_id: companyId, key: null, name, name_folded: fold(name), position, enabled: true, created_at: now, updated_at: now, deleted_at: null })
    .returning("*");
  if (rows[0] === undefined) throw new Error("insert into outcomes returned no row");
  return toRecord(rows[0]);
}

export async function updateOutcome(
  trx: Knex.Transaction,
  companyId: number,
  id: number,
  patch: { name?: string | undefined; enabled?: boolean | undefined },
  now: number,
): Promise<OutcomeRecord> {
  const current = await getOutcome(trx, companyId, id);
  if (current === undefined || current.deleted) throw new CallerError("not_found", "No such outcome in your company");
  const columns: Partial<OutcomeRow> = { updated_at: now };
  if (patch.name !== undefined) {
    await assertNameFree(trx, companyId, patch.name, id);
    columns.name = patch.name;
    columns.name_folded = fold(patch.name);
  }
  if (patch.enabled !== undefined) columns.enabled = patch.enabled;
  const rows = await trx<OutcomeRow>("outcomes").where({ company_id: companyId, id }).update(columns).returning("*");
  if (rows[0] === undefined) throw new CallerError("not_found", "No such outcome in your company");
  return toRecord(rows[0]);
}

/** Soft: calls that logged it keep their snapshot, and its name becomes free again. */
export async function deleteOutcome(trx: Knex.Transaction, companyId: number, id: number, now: number): Promise<OutcomeRecord> {
  const rows = await trx<OutcomeRow>("outcomes").where({ company_id: companyId, id }).whereNull("deleted_at").update({ deleted_at: now, updated_at: now }).returning("*");
  if (rows[0] === undefined) throw new CallerError("not_found", "No such outcome in your company");
  return toRecord(rows[0]);
}

/** `ids` must be exactly the company's live outcomes, in their new order. */
export async function reorderOutcomes(trx: Knex.Transaction, companyId: number, ids: readonly number[], now: number): Promise<OutcomeRecord[]> {
  const live = await listOutcomes(trx, companyId);
  const liveIds = new Set(live.map((o) => o.id));
  if (new Set(ids).size !== ids.length || ids.length !== liveIds.size || !ids.every((id) => liveIds.has(id))) {
    throw new CallerError("bad_request", "Give every outcome of the company exactly once", { reason: "outcome_order_incomplete" });
  }
  for (const [position, id] of ids.entries()) {
    await trx<OutcomeRow>("outcomes").where({ company_id: companyId, id }).update({ position, updated_at: now });
  }
  return listOutcomes(trx, companyId);
}
