import type { Knex } from "knex";
import { CallerError } from "../../src-shared/errors";
import { DealStage, type Deal } from "../../src-shared/server-api/crm";
import { toInt } from "../db/row-values";
import { announceCrm } from "./crm-changes";
import { likePattern } from "./crm-search";

interface DealRow {
  id: number | string;
  title: string;
  person_id: number | string | null;
  person_name: string | null;
  organization_id: number | string | null;
  organization_name: string | null;
  value_micros: number | string;
  stage: string;
  updated_at: number | string;
}

export interface DealFields {
  title: string;
  personId: number | null;
  organizationId: number | null;
  valueMicros: number;
  stage: Deal["stage"];
}

const idOrNull = (value: number | string | null): string | null => (value === null ? null : String(value));

function selectDeals(db: Knex, companyId: number) {
  return db("crm_deals as d")
    .leftJoin("crm_people as p", "p.id", "d.person_id")
    .leftJoin("crm_organizations as o", "o.id", "d.organization_id")
    .where("d.company_id", companyId)
    .select<DealRow[]>("d.id", "d.title", "d.person_id", "p.name as person_name", "d.organization_id", "o.name as organization_name", "d.value_micros", "d.stage", "d.updated_at");
}

function toDeal(r: DealRow): Deal {
  return {
    id: String(r.id),
    title: r.title,
    personId: idOrNull(r.person_id),
    personName: r.person_name,
    organizationId: idOrNull(r.organization_id),
    organizationName: r.organization_name,
    valueMicros: toInt(r.value_micros),
    stage: DealStage.catch("lead").parse(r.stage),
    updatedAt: toInt(r.updated_at),
  };
}

export interface DealFilter {
  personId?: number | undefined;
  organizationId?: number | undefined;
}

export async function listDeals(db: Knex, companyId: number, q: string, limit: number, filter: DealFilter = {}): Promise<Deal[]> {
  const query = selectDeals(db, companyId).orderBy("d.updated_at", "desc").limit(limit);
  if (filter.personId !== undefined) void query.andWhere("d.person_id", filter.personId);
  if (filter.organizationId !== undefined) void query.andWhere("d.organization_id", filter.organizationId);
  if (q !== "") void query.andWhereRaw("lower(d.title) like ? escape '\\'", [likePattern(q)]);
  return (await query).map(toDeal);
}

export async function getDeal(db: Knex, companyId: number, id: number): Promise<Deal> {
  const row = await selectDeals(db, companyId).andWhere("d.id", id).first();
  if (row === undefined) throw new CallerError("not_found", "No such deal");
  return toDeal(row);
}

async function checkLinks(trx: Knex.Transaction, companyId: number, personId: number | null | undefined, organizationId: number | null | undefined): Promise<void> {
  if (personId != null && (await trx("crm_people").where({ id: personId, company_id: companyId }).first()) === undefined) {
    throw new CallerError("not_found", "No such person");
  }
  if (organizationId != null && (await trx("crm_organizations").where({ id: organizationId, company_id: companyId }).first()) === undefined) {
    throw new CallerError("not_found", "No such organization");
  }
}

export async function createDeal(trx: Knex.Transaction, companyId: number, input: DealFields, now: number): Promise<Deal> {
  await checkLinks(trx, companyId, input.personId, input.organizationId);
  const [row] = await trx("crm_deals")
    .insert({
      company_id: companyId,
      person_id: input.personId,
      organization_id: input.organizationId,
      title: input.title,
      value_micros: input.valueMicros,
      stage: input.stage,
      created_at: now,
      updated_at: now,
    })
    .returning<{ id: number | string }[]>("id");
  const deal = await getDeal(trx, companyId, toInt(row!.id));
  await announceCrm(trx, companyId, "deal", deal.id, deal, now);
  return deal;
}

export async function updateDeal(trx: Knex.Transaction, companyId: number, id: number, patch: Partial<DealFields>, now: number): Promise<Deal> {
  const before = await getDeal(trx, companyId, id);
  await checkLinks(trx, companyId, patch.personId, patch.organizationId);
  await trx("crm_deals")
    .where({ id })
    .update({
      ...(patch.title === undefined ? {} : { title: patch.title }),
      ...(patch.personId === undefined ? {} : { person_id: patch.personId }),
      ...(patch.organizationId === undefined ? {} : { organization_id: patch.organizationId }),
      ...(patch.valueMicros === undefined ? {} : { value_micros: patch.valueMicros }),
      ...(patch.stage === undefined ? {} : { stage: patch.stage }),
      updated_at: now,
    });
  if (patch.title !== undefined && patch.title !== before.title) await trx("calls").where({ company_id: companyId, deal_id: id }).update({ deal_title: patch.title });
  const deal = await getDeal(trx, companyId, id);
  await announceCrm(trx, companyId, "deal", deal.id, deal, now);
  return deal;
}
