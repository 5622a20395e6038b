import type { Knex } from "knex";
import type { ContactPhone, PhoneInput } from "../../src-shared/server-api/crm";
import { normalizeContactPhones } from "../../src-shared/crm/contact-phones";
import { getCompany } from "../db/companies-repo";
import { toInt } from "../db/row-values";

export type PhoneOwnerKind = "person" | "organization";

/** 6 values a row: well under SQLite's and PostgreSQL's bound-parameter limits. */
const phoneRowsPerStatement = 500;

interface PhoneRow {
  owner_id: number | string;
  number: string;
  label: ContactPhone["label"];
}

/** Reads typed numbers in the company's country; one bad number refuses the whole edit. */
export async function normalizePhones(db: Knex, companyId: number, phones: readonly PhoneInput[]): Promise<ContactPhone[]> {
  const company = await getCompany(db, companyId);
  return normalizeContactPhones(phones, company?.country ?? "US");
}

export async function replacePhones(trx: Knex.Transaction, companyId: number, kind: PhoneOwnerKind, ownerId: number, phones: readonly ContactPhone[]): Promise<void> {
  await trx("crm_phones").where({ owner_kind: kind, owner_id: ownerId }).delete();
  await insertPhones(trx, companyId, kind, [{ ownerId, phones }]);
}

/** The phones of owners that have none yet (just made), in one statement per few hundred numbers. */
export async function insertPhones(trx: Knex.Transaction, companyId: number, kind: PhoneOwnerKind, owners: readonly { ownerId: number; phones: readonly ContactPhone[] }[]): Promise<void> {
  const rows = owners.flatMap(({ ownerId, phones }) => phones.map((p, position) => ({ company_id: companyId, owner_kind: kind, owner_id: ownerId, number: p.number, label: p.label, position })));
  for (let at = 0; at < rows.length; at += phoneRowsPerStatement) await trx("crm_phones").insert(rows.slice(at, at + phoneRowsPerStatement));
}

/** Phones of many owners at once, in their saved order. */
export async function phonesOf(db: Knex, kind: PhoneOwnerKind, ownerIds: readonly number[]): Promise<Map<number, ContactPhone[]>> {
  const byOwner = new Map<number, ContactPhone[]>();
  if (ownerIds.length === 0) return byOwner;
  const rows = await db<PhoneRow>("crm_phones").select("owner_id", "number", "label").where("owner_kind", kind).whereIn("owner_id", ownerIds).orderBy(["owner_id", "position"]);
  for (const row of rows) {
    const id = toInt(row.owner_id);
    const list = byOwner.get(id) ?? [];
    list.push({ number: row.number, label: row.label });
    byOwner.set(id, list);
  }
  return byOwner;
}

/** Owner ids of a kind whose number contains these digits (the list search's number half). */
export async function ownersWithNumber(db: Knex, companyId: number, kind: PhoneOwnerKind, digits: string): Promise<number[]> {
  const rows = await db("crm_phones")
    .distinct("owner_id")
    .where("company_id", companyId)
    .andWhere("owner_kind", kind)
    .andWhere("number", "like", `%${digits}%`)
    .limit(500)
    .pluck<(number | string)[]>("owner_id");
  return rows.map(toInt);
}
