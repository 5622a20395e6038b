import type { Knex } from "knex";
import { toInt } from "../db/row-values";

/**
 * What the operator did. Each is also a signal: every server process reads
 * new actions (policy-sync.ts) and reloads what they changed, so a change made
 * by another server or by the CLI takes effect everywhere.
 */
export const operatorActionKinds = [
  "operator_created",
  "tariff_imported",
  "tariff_restored",
  "destination_rule_set",
  "destination_rule_removed",
  "invoice_limit_set",
  "purchase_approved",
  "purchase_declined",
  "sip_ban_lifted",
] as const;
export type OperatorActionKind = (typeof operatorActionKinds)[number];

export interface NewOperatorAction {
  /** The operator's email, or "cli:<os user>" for the command line. */
  actor: string;
  action: OperatorActionKind;
  companyId: number | null;
  details: Record<string, unknown>;
  at: number;
}

export interface OperatorAction extends NewOperatorAction {
  id: number;
}

interface ActionRow {
  id: number;
  actor: string;
  action: OperatorActionKind;
  company_id: number | null;
  details_json: string;
  at: number | string;
}

const toAction = (row: ActionRow): OperatorAction => ({
  id: toInt(row.id),
  actor: row.actor,
  action: row.action,
  companyId: row.company_id === null ? null : toInt(row.company_id),
  details: JSON.parse(row.details_json) as Record<string, unknown>,
  at: toInt(row.at),
});

/** Inside the transaction of the change it describes: the log and the change commit together. */
export async function logOperatorAction(trx: Knex.Transaction, action: NewOperatorAction): Promise<void> {
  await trx("operator_actions").insert({ actor: action.actor, action: action.action, company_id: action.companyId, details_json: JSON.stringify(action.details), at: action.at });
}

export async function latestActionId(db: Knex): Promise<number> {
  const [row] = await db("operator_actions").max<{ id: number | string | null }[]>({ id: "id" });
  return row?.id == null ? 0 : toInt(row.id);
}

export async function actionsAfter(db: Knex, afterId: number, limit = 500): Promise<OperatorAction[]> {
  return (await db<ActionRow>("operator_actions").where("id", ">", afterId).orderBy("id").limit(limit)).map(toAction);
}

export async function recentActions(db: Knex, limit: number): Promise<OperatorAction[]> {
  return (await db<ActionRow>("operator_actions").orderBy("id", "desc").limit(limit)).map(toAction);
}
