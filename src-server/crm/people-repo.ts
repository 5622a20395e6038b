import type { Knex } from "knex";
import { CallerError } from "../../src-shared/errors";
import type { ContactPhone, Person } from "../../src-shared/server-api/crm";
import { toInt } from "../db/row-values";
import { announceCrm, announceCrmMany } from "./crm-changes";
import { insertPhones, ownersWithNumber, phonesOf, replacePhones } from "./crm-phones";
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

/** The organization's name, or not_found when it is not this company's. */
async function checkOrganization(trx: Knex.Transaction, companyId: number, organizationId: number | null): Promise<string | null> {
  if (organizationId === null) return null;
  const row = await trx("crm_organizations").where({ id: organizationId, company_id: companyId }).first<{ name: string } | undefined>();
  if (row === undefined) throw new CallerError("not_found", "No such organization");
  return row.name;
}

export async function createPerson(trx: Knex.Transaction, companyId: number, input: PersonFields, now: number): Promise<Person> {
  const organizationName = await checkOrganization(trx, companyId, input.organizationId);
  const [person] = await insertPeople(trx, companyId, [{ ...input, organizationName }], now);
  return person!;
}

/** 6 values a row: a few hundred rows a statement stays well under both engines' bound-parameter limits. */
const peoplePerStatement = 250;

/**
 * New people, a few hundred to a statement, with their phones and change-feed
 * entries (imports write thousands). Each one's organization, if any, is the
 * company's and named as given: the caller checked it.
 */
export async function insertPeople(trx: Knex.Transaction, companyId: number, inputs: readonly (PersonFields & { organizationName: string | null })[], now: number): Promise<Person[]> {
  const people: Person[] = [];
  for (let at = 0; at < inputs.length; at += peoplePerStatement) {
    const batch = inputs.slice(at, at + peoplePerStatement);
    const rows = await trx("crm_people")
      .insert(batch.map((input) => ({ company_id: companyId, organization_id: input.organizationId, name: input.name, email: input.email, created_at: now, updated_at: now })))
      .returning<{ id: number | string; name: string }[]>(["id", "name"]);
    // Both engines return a multi-row insert's rows in the order of its values; checked, since every id is matched by position.
    if (rows.length !== batch.length || rows.some((row, i) => row.name !== batch[i]!.name)) throw new Error("crm_people: the insert returned its rows out of order");
    const made = batch.map((input, i): Person => ({
      id: String(rows[i]!.id),
      name: input.name,
      email: input.email,
      organizationId: input.organizationId === null ? null : String(input.organizationId),
      organizationName: input.organizationName,
      phones: [...input.phones],
      updatedAt: now,
    }));
    await insertPhones(trx, companyId, "person", made.map((person) => ({ ownerId: toInt(person.id), phones: person.phones })));
    await announceCrmMany(trx, companyId, "person", made, now);
    people.push(...made);
  }
  return people;
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
