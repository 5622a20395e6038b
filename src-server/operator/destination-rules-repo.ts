import type { Knex } from "knex";
import type { DestinationAction, DestinationRule } from "../../src-shared/server-api/operator";
import type { BlockRule } from "../calls/destination-blocks";
import { toInt } from "../db/row-values";

interface RuleRow {
  id: number;
  prefix: string;
  company_id: number | null;
  company_name: string | null;
  action: DestinationAction;
  note: string;
  created_by: string;
  created_at: number | string;
}

export interface NewDestinationRule {
  prefix: string;
  companyId: number | null;
  action: DestinationAction;
  note: string;
  createdBy: string;
  createdAt: number;
}

const toRule = (row: RuleRow): DestinationRule => ({
  id: toInt(row.id),
  prefix: row.prefix,
  companyId: row.company_id === null ? null : toInt(row.company_id),
  companyName: row.company_name,
  action: row.action,
  note: row.note,
  createdBy: row.created_by,
  createdAt: toInt(row.created_at),
});

const scoped = (db: Knex, prefix: string, companyId: number | null) => {
  const query = db("destination_rules").where({ prefix });
  return companyId === null ? query.whereNull("company_id") : query.where({ company_id: companyId });
};

export async function listDestinationRules(db: Knex): Promise<DestinationRule[]> {
  const rows = await db("destination_rules")
    .leftJoin("companies", "companies.id", "destination_rules.company_id")
    .orderBy([{ column: "destination_rules.prefix" }, { column: "destination_rules.id" }])
    .select<RuleRow[]>("destination_rules.*", "companies.name as company_name");
  return rows.map(toRule);
}

export async function loadBlockRules(db: Knex): Promise<BlockRule[]> {
  const rows = await db("destination_rules").select<Pick<RuleRow, "prefix" | "company_id" | "action">[]>("prefix", "company_id", "action");
  return rows.map((r) => ({ prefix: r.prefix, companyId: r.company_id === null ? null : toInt(r.company_id), action: r.action }));
}

/** One rule per prefix and scope: a new one replaces the old. */
export async function replaceDestinationRule(trx: Knex.Transaction, rule: NewDestinationRule): Promise<number> {
  await scoped(trx, rule.prefix, rule.companyId).delete();
  const [row] = await trx("destination_rules")
    .insert({ prefix: rule.prefix, company_id: rule.companyId, action: rule.action, note: rule.note, created_by: rule.createdBy, created_at: rule.createdAt })
    .returning<{ id: number }[]>("id");
  if (row === undefined) throw new Error("insert into destination_rules returned no row");
  return toInt(row.id);
}

export async function deleteDestinationRule(trx: Knex.Transaction, id: number): Promise<DestinationRule | undefined> {
  const row = await trx("destination_rules").where({ id }).first<RuleRow | undefined>();
  if (row === undefined) return undefined;
  await trx("destination_rules").where({ id }).delete();
  return toRule({ ...row, company_name: null });
}

export async function findDestinationRule(db: Knex, prefix: string, companyId: number | null): Promise<{ id: number } | undefined> {
  const row = await scoped(db, prefix, companyId).first<{ id: number } | undefined>("id");
  return row === undefined ? undefined : { id: toInt(row.id) };
}
