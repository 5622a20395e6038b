import type { Knex } from "knex";
import { CallerError } from "../../src-shared/errors";
import type { ContactPhone, Organization } from "../../src-shared/server-api/crm";
import { toInt } from "../db/row-values";
import { announceCrm, announceCrmMany } from "./crm-changes";
import { insertPhones, ownersWithNumber, phonesOf, replacePhones } from "./crm-phones";
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
  const [organization] = await insertOrganizations(trx, companyId, [input], now);
  return organization!;
}

/** 4 values a row: a few hundred rows a statement stays well under both engines' bound-parameter limits. */
const organizationsPerStatement = 250;

/** New organizations, a few hundred to a statement, with their phones and change-feed entries. */
export async function insertOrganizations(trx: Knex.Transaction, companyId: number, inputs: readonly { name: string; phones: readonly ContactPhone[] }[], now: number): Promise<Organization[]> {
  const organizations: Organization[] = [];
  for (let at = 0; at < inputs.length; at += organizationsPerStatement) {
    const batch = inputs.slice(at, at + organizationsPerStatement);
    const rows = await trx("crm_organizations")
      .insert(batch.map((input) => ({ company_id: companyId, name: input.name, created_at: now, updated_at: now })))
      .returning<{ id: number | string; name: string }[]>(["id", "name"]);
    // Both engines return a multi-row insert's rows in the order of its values; checked, since every id is matched by position.
    if (rows.length !== batch.length || rows.some((row, i) => row.name !== batch[i]!.name)) throw new Error("crm_organizations: the insert returned its rows out of order");
    const made = batch.map((input, i): Organization => ({ id: String(rows[i]!.id), name: input.name, phones: [...input.phones], updatedAt: now }));
    await insertPhones(trx, companyId, "organization", made.map((organization) => ({ ownerId: toInt(organization.id), phones: organization.phones })));
    await announceCrmMany(trx, companyId, "organization", made, now);
    organizations.push(...made);
  }
  return organizations;
}

export async function updateOrganization(trx: Knex.Transaction, companyId: number, id: number, patch: { name?: string | undefined; phones?: ContactPhone[] | undefined }, now: number): Promise<Organization> {
  await getOrganization(trx, companyId, id);
  await trx("crm_organizations").where({ id }).update({ ...(patch.name === undefined ? {} : { name: patch.name }), updated_at: now });
  if (patch.phones !== undefined) await replacePhones(trx, companyId, "organization", id, patch.phones);
  const organization = await getOrganization(trx, companyId, id);
  await announceCrm(trx, companyId, "organization", organization.id, organization, now);
  return organization;
}

/** The company's organizations with these exact names, by name; those missing are made (CSV import). */
export async function organizationsNamed(trx: Knex.Transaction, companyId: number, names: readonly string[], now: number): Promise<Map<string, number>> {
  const wanted = [...new Set(names)];
  const ids = new Map<string, number>();
  for (let at = 0; at < wanted.length; at += organizationsPerStatement) {
    const rows = await trx<OrganizationRow>("crm_organizations").where("company_id", companyId).whereIn("name", wanted.slice(at, at + organizationsPerStatement)).orderBy("id").select("id", "name");
    // Two with one name: the first made, as a one-by-one look-up finds it.
    for (const row of rows) if (!ids.has(row.name)) ids.set(row.name, toInt(row.id));
  }
  const made = await insertOrganizations(trx, companyId, wanted.filter((name) => !ids.has(name)).map((name) => ({ name, phones: [] })), now);
  for (const organization of made) ids.set(organization.name, Number(organization.id));
  return ids;
}
