import type { Knex } from "knex";
import { ContactPhone, DealStage, type Deal, type Organization, type Person } from "../../../src-shared/server-api/crm";

interface PersonRow {
  id: string;
  name: string;
  email: string | null;
  organization_id: string | null;
  organization_name: string | null;
  updated_at: number;
}
interface OrganizationRow {
  id: string;
  name: string;
  updated_at: number;
}
interface DealRow {
  id: string;
  title: string;
  person_id: string | null;
  person_name: string | null;
  organization_id: string | null;
  organization_name: string | null;
  value_micros: number;
  stage: string;
  updated_at: number;
}
interface PhoneRow {
  owner_id: string;
  number: string;
  label: string;
}

type Kind = "person" | "organization";

/** An older change never replaces a newer one (a replayed page after a crash is harmless). */
async function upsertRow(trx: Knex.Transaction, table: string, row: Record<string, unknown> & { id: string; updated_at: number; updated_seq: number }): Promise<boolean> {
  const written = await trx(table).insert(row).onConflict("id").merge().where(`${table}.updated_seq`, "<=", trx.raw("excluded.updated_seq")).returning("id");
  return written.length > 0;
}

async function replacePhones(trx: Knex.Transaction, kind: Kind, ownerId: string, phones: readonly ContactPhone[]): Promise<void> {
  await trx("phones").where({ owner_kind: kind, owner_id: ownerId }).delete();
  if (phones.length > 0) await trx("phones").insert(phones.map((p, position) => ({ owner_kind: kind, owner_id: ownerId, position, number: p.number, label: p.label })));
}

export async function upsertPerson(trx: Knex.Transaction, person: Person, seq: number): Promise<void> {
  const row = { id: person.id, name: person.name, email: person.email, organization_id: person.organizationId, updated_at: person.updatedAt, updated_seq: seq };
  if (await upsertRow(trx, "people", row)) await replacePhones(trx, "person", person.id, person.phones);
}

export async function upsertOrganization(trx: Knex.Transaction, organization: Organization, seq: number): Promise<void> {
  if (await upsertRow(trx, "organizations", { id: organization.id, name: organization.name, updated_at: organization.updatedAt, updated_seq: seq })) {
    await replacePhones(trx, "organization", organization.id, organization.phones);
  }
}

export async function upsertDeal(trx: Knex.Transaction, deal: Deal, seq: number): Promise<void> {
  await upsertRow(trx, "deals", {
    id: deal.id,
    title: deal.title,
    person_id: deal.personId,
    organization_id: deal.organizationId,
    value_micros: deal.valueMicros,
    stage: deal.stage,
    updated_at: deal.updatedAt,
    updated_seq: seq,
  });
}

export interface LocalPersonPatch {
  name?: string | undefined;
  email?: string | null | undefined;
  organizationId?: string | null | undefined;
  /** Already E.164 (the handler normalizes before queueing). */
  phones?: readonly ContactPhone[] | undefined;
}

/**
 * An edit made on this device, shown before the server confirms it. The row's
 * updated_seq stays, so the server's answer through the feed replaces it.
 */
export async function patchLocalPerson(db: Knex, id: string, patch: LocalPersonPatch): Promise<boolean> {
  const columns: Record<string, unknown> = {};
  if (patch.name !== undefined) columns.name = patch.name;
  if (patch.email !== undefined) columns.email = patch.email;
  if (patch.organizationId !== undefined) columns.organization_id = patch.organizationId;
  const exists = (await db("people").where({ id }).first("id")) !== undefined;
  if (!exists) return false;
  if (Object.keys(columns).length > 0) await db("people").where({ id }).update(columns);
  if (patch.phones !== undefined) {
    await db("phones").where({ owner_kind: "person", owner_id: id }).delete();
    if (patch.phones.length > 0) await db("phones").insert(patch.phones.map((p, position) => ({ owner_kind: "person", owner_id: id, position, number: p.number, label: p.label })));
  }
  return true;
}

export type CrmEntity = "person" | "organization" | "deal";
const tableOf = { person: "people", organization: "organizations", deal: "deals" } as const satisfies Record<CrmEntity, string>;

export async function deleteCrmEntity(trx: Knex.Transaction, entity: CrmEntity, id: string): Promise<void> {
  await trx(tableOf[entity]).where({ id }).delete();
  if (entity !== "deal") await trx("phones").where({ owner_kind: entity, owner_id: id }).delete();
}

/** On sign-out: the next user must not see this company's contacts. */
export async function clearCrm(db: Knex): Promise<void> {
  for (const table of ["phones", "deals", "people", "organizations"]) await db(table).delete();
}

async function phonesOf(db: Knex, kind: Kind, ids: readonly string[]): Promise<Map<string, ContactPhone[]>> {
  const byOwner = new Map<string, ContactPhone[]>();
  if (ids.length === 0) return byOwner;
  const rows = await db<PhoneRow>("phones").select("owner_id", "number", "label").where("owner_kind", kind).whereIn("owner_id", ids).orderBy(["owner_id", "position"]);
  for (const row of rows) {
    const parsed = ContactPhone.safeParse({ number: row.number, label: row.label });
    if (!parsed.success) continue;
    byOwner.set(row.owner_id, [...(byOwner.get(row.owner_id) ?? []), parsed.data]);
  }
  return byOwner;
}

const peopleQuery = (db: Knex) =>
  db("people as p").leftJoin("organizations as o", "o.id", "p.organization_id").select<PersonRow[]>("p.id", "p.name", "p.email", "p.organization_id", "o.name as organization_name", "p.updated_at");

async function toPeople(db: Knex, rows: readonly PersonRow[]): Promise<Person[]> {
  const phones = await phonesOf(db, "person", rows.map((r) => r.id));
  return rows.map((r) => ({ id: r.id, name: r.name, email: r.email, organizationId: r.organization_id, organizationName: r.organization_name, phones: phones.get(r.id) ?? [], updatedAt: r.updated_at }));
}

const likeText = (q: string): string => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** People by name, email or a run of digits of a number; by name. */
export async function listLocalPeople(db: Knex, q: string, limit: number, organizationId?: string): Promise<Person[]> {
  const query = peopleQuery(db).orderBy("p.name").limit(limit);
  if (organizationId !== undefined) void query.where("p.organization_id", organizationId);
  const text = q.trim();
  if (text !== "") {
    const digits = text.replace(/\D/g, "");
    void query.where((w) => {
      void w.whereRaw("lower(p.name) like ? escape '\\'", [likeText(text)]).orWhereRaw("lower(p.email) like ? escape '\\'", [likeText(text)]);
      if (digits.length >= 3 && /^[+\d\s().-]+$/.test(text)) void w.orWhereIn("p.id", (sub) => void sub.from("phones").select("owner_id").where("owner_kind", "person").andWhere("number", "like", `%${digits}%`));
    });
  }
  return toPeople(db, await query);
}

export async function getLocalPerson(db: Knex, id: string): Promise<Person | undefined> {
  const row = await peopleQuery(db).where("p.id", id).first();
  return row === undefined ? undefined : (await toPeople(db, [row]))[0];
}

export async function listLocalOrganizations(db: Knex, q: string, limit: number): Promise<Organization[]> {
  const query = db<OrganizationRow>("organizations").orderBy("name").limit(limit);
  if (q.trim() !== "") void query.whereRaw("lower(name) like ? escape '\\'", [likeText(q.trim())]);
  const rows = await query;
  const phones = await phonesOf(db, "organization", rows.map((r) => r.id));
  return rows.map((r) => ({ id: r.id, name: r.name, phones: phones.get(r.id) ?? [], updatedAt: r.updated_at }));
}

export async function getLocalOrganization(db: Knex, id: string): Promise<Organization | undefined> {
  const row = await db<OrganizationRow>("organizations").where({ id }).first();
  if (row === undefined) return undefined;
  return { id: row.id, name: row.name, phones: (await phonesOf(db, "organization", [id])).get(id) ?? [], updatedAt: row.updated_at };
}

const dealsQuery = (db: Knex) =>
  db("deals as d")
    .leftJoin("people as p", "p.id", "d.person_id")
    .leftJoin("organizations as o", "o.id", "d.organization_id")
    .select<DealRow[]>("d.id", "d.title", "d.person_id", "p.name as person_name", "d.organization_id", "o.name as organization_name", "d.value_micros", "d.stage", "d.updated_at");

function toDeal(r: DealRow): Deal {
  return {
    id: r.id,
    title: r.title,
    personId: r.person_id,
    personName: r.person_name,
    organizationId: r.organization_id,
    organizationName: r.organization_name,
    valueMicros: r.value_micros,
    stage: DealStage.catch("lead").parse(r.stage),
    updatedAt: r.updated_at,
  };
}

export interface LocalDealFilter {
  q?: string | undefined;
  personId?: string | undefined;
  organizationId?: string | undefined;
}

export async function listLocalDeals(db: Knex, filter: LocalDealFilter, limit: number): Promise<Deal[]> {
  const query = dealsQuery(db).orderBy("d.updated_seq", "desc").limit(limit);
  if (filter.personId !== undefined) void query.where("d.person_id", filter.personId);
  if (filter.organizationId !== undefined) void query.where("d.organization_id", filter.organizationId);
  if (filter.q !== undefined && filter.q.trim() !== "") void query.whereRaw("lower(d.title) like ? escape '\\'", [likeText(filter.q.trim())]);
  return (await query).map(toDeal);
}

export async function getLocalDeal(db: Knex, id: string): Promise<Deal | undefined> {
  const row = await dealsQuery(db).where("d.id", id).first();
  return row === undefined ? undefined : toDeal(row);
}
