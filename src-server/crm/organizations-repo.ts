import type { Knex } from "knex";
import { CallerError } from "../../src-shared/errors";
import type { ContactPhone, Organization } from "../../src-shared/server-api/crm";
import { toInt } from "../db/row-values";
import { announceCrm } from "./crm-changes";
import { ownersWithNumber, phonesOf, replacePhones } from "./crm-phones";
import { likePattern, searchDigits } from "./crm-search";

interface OrganizationRow {
  id: number | string;
  company_id: number | string;
  name: string;
  updated_at: number | string;
}

async function toOrganizations(db: Knex, rows: readonly OrganizationRow[]): Promise<Organization[]> {
  const phones = await phonesOf(db, "organization", rows.map((r) => toInt(r.id)));
  return rows.map((r) => ({ id: String(r.id), name: r.name, phones: phones.get(toInt(r.id)) ?? [], updatedAt: toInt(r.updated_at) }));
}

export async function listOrganizations(db: Knex, companyId: number, q: string, limit: number): Promise<Organization[]> {
  const query = db<OrganizationRow>("crm_organizations").where({ company_id: companyId }).orderBy("name").limit(limit);
  if (q !== "") {
    const digits = searchDigits(q);
    const byNumber = digits === null ? [] : await ownersWithNumber(db, companyId, "organization", digits);
    void query.andWhere((w) => void w.whereRaw("lower(name) like ? escape '\\'", [likePattern(q)]).orWhereIn("id", byNumber));
  }
  return toOrganizations(db, await query);
}

/** Another company's organization is as missing as a made-up id. */
export async function getOrganization(db: Knex, companyId: number, id: number): Promise<Organization> {
  const row = await db<OrganizationRow>("crm_organizations").where({ id, company_id: companyId }).first();
  if (row === undefined) throw new CallerError("not_found", "No such organization");
  const [organization] = await toOrganizations(db, [row]);
  return organization!;
}

export async function createOrganization(trx: Knex.Transaction, companyId: number, input: { name: string; phones: ContactPhone[] }, now: number): Promise<Organization> {
  const [row] = await trx("crm_organizations").insert({ company_id: companyId, name: input.name, created_at: now, updated_at: now }).returning<{ id: number | string }[]>("id");
  const id = toInt(row!.id);
  await replacePhones(trx, companyId, "organization", id, input.phones);
  const organization = await getOrganization(trx, companyId, id);
  await announceCrm(trx, companyId, "organization", organization.id, organization, now);
  return organization;
}

export async function updateOrganization(trx: Knex.Transaction, companyId: number, id: number, patch: { name?: string | undefined; phones?: ContactPhone[] | undefined }, now: number): Promise<Organization> {
  await getOrganization(trx, companyId, id);
  await trx("crm_organizations").where({ id }).update({ ...(patch.name === undefined ? {} : { name: patch.name }), updated_at: now });
  if (patch.phones !== undefined) await replacePhones(trx, companyId, "organization", id, patch.phones);
  const organization = await getOrganization(trx, companyId, id);
  await announceCrm(trx, companyId, "organization", organization.id, organization, now);
  return organization;
}

/** The company's organization with this exact name, made when missing (CSV import). */
export async function organizationNamed(trx: Knex.Transaction, companyId: number, name: string, now: number): Promise<number> {
  const row = await trx<OrganizationRow>("crm_organizations").where({ company_id: companyId, name }).first();
  if (row !== undefined) return toInt(row.id);
  return toInt((await createOrganization(trx, companyId, { name, phones: [] }, now)).id);
}
