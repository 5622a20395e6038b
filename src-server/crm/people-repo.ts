import type { Knex } from "knex";
import { CallerError } from "../../src-shared/errors";
import type { ContactPhone, Person } from "../../src-shared/server-api/crm";
import { toInt } from "../db/row-values";
import { announceCrm } from "./crm-changes";
import { ownersWithNumber, phonesOf, replacePhones } from "./crm-phones";
import { likePattern, searchDigits } from "./crm-search";

interface PersonRow {
  id: number | string;
  name: string;
  email: string | null;
  organization_id: number | string | null;
  organization_name: string | null;
  updated_at: number | string;
}

export interface PersonFields {
  name: string;
  email: string | null;
  organizationId: number | null;
  phones: ContactPhone[];
}

function selectPeople(db: Knex, companyId: number) {
  return db("crm_people as p")
    .leftJoin("crm_organizations as o", "o.id", "p.organization_id")
    .where("p.company_id", companyId)
    .select<PersonRow[]>("p.id", "p.name", "p.email", "p.organization_id", "o.name as organization_name", "p.updated_at");
}

async function toPeople(db: Knex, rows: readonly PersonRow[]): Promise<Person[]> {
  const phones = await phonesOf(db, "person", rows.map((r) => toInt(r.id)));
  return rows.map((r) => ({
    id: String(r.id),
    name: r.name,
    email: r.email,
    organizationId: r.organization_id === null ? null : String(r.organization_id),
    organizationName: r.organization_name,
    phones: phones.get(toInt(r.id)) ?? [],
    updatedAt: toInt(r.updated_at),
  }));
}

export async function listPeople(db: Knex, companyId: number, q: string, limit: number, organizationId?: number): Promise<Person[]> {
  const query = selectPeople(db, companyId).orderBy("p.name").limit(limit);
  if (organizationId !== undefined) void query.andWhere("p.organization_id", organizationId);
  if (q !== "") {
    const digits = searchDigits(q);
    const byNumber = digits === null ? [] : await ownersWithNumber(db, companyId, "person", digits);
    const pattern = likePattern(q);
    void query.andWhere((w) => void w.whereRaw("lower(p.name) like ? escape '\\'", [pattern]).orWhereRaw("lower(p.email) like ? escape '\\'", [pattern]).orWhereIn("p.id", byNumber));
  }
  return toPeople(db, await query);
}

/** Another company's person is as missing as a made-up id. */
export async function getPerson(db: Knex, companyId: number, id: number): Promise<Person> {
  const row = await selectPeople(db, companyId).andWhere("p.id", id).first();
  if (row === undefined) throw new CallerError("not_found", "No such person");
  const [person] = await toPeople(db, [row]);
  return person!;
}

async function checkOrganization(trx: Knex.Transaction, companyId: number, organizationId: number | null): Promise<void> {
  if (organizationId === null) return;
  const row = await trx("crm_organizations").where({ id: organizationId, company_id: companyId }).first<{ id: number } | undefined>();
  if (row === undefined) throw new CallerError("not_found", "No such organization");
}

export async function createPerson(trx: Knex.Transaction, companyId: number, input: PersonFields, now: number): Promise<Person> {
  await checkOrganization(trx, companyId, input.organizationId);
  const [row] = await trx("crm_people")
    .insert({ company_id: companyId, organization_id: input.organizationId, name: input.name, email: input.email, created_at: now, updated_at: now })
    .returning<{ id: number | string }[]>("id");
  const id = toInt(row!.id);
  await replacePhones(trx, companyId, "person", id, input.phones);
  const person = await getPerson(trx, companyId, id);
  await announceCrm(trx, companyId, "person", person.id, person, now);
  return person;
}

export async function updatePerson(trx: Knex.Transaction, companyId: number, id: number, patch: Partial<PersonFields>, now: number): Promise<Person> {
  const before = await getPerson(trx, companyId, id);
  if (patch.organizationId !== undefined) await checkOrganization(trx, companyId, patch.organizationId);
  await trx("crm_people")
    .where({ id })
    .update({
      ...(patch.name === undefined ? {} : { name: patch.name }),
      ...(patch.email === undefined ? {} : { email: patch.email }),
      ...(patch.organizationId === undefined ? {} : { organization_id: patch.organizationId }),
      updated_at: now,
    });
  if (patch.phones !== undefined) await replacePhones(trx, companyId, "person", id, patch.phones);
  // Calls keep a snapshot of the name; the app shows its own mirrored person, so no call change is sent.
  if (patch.name !== undefined && patch.name !== before.name) await trx("calls").where({ company_id: companyId, contact_id: id }).update({ contact_name: patch.name });
  const person = await getPerson(trx, companyId, id);
  await announceCrm(trx, companyId, "person", person.id, person, now);
  return person;
}
