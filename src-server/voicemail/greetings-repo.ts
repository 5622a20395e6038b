import type { Knex } from "knex";
import type { Greeting } from "../../src-shared/server-api/voicemail";
import { toBool, toInt } from "../db/row-values";

export interface GreetingRecord extends Greeting {
  companyId: number;
  storageKey: string;
  sizeBytes: number;
}

interface GreetingRow {
  id: number | string;
  company_id: number | string;
  user_id: number | string;
  name: string;
  storage_key: string;
  duration_ms: number | string;
  size_bytes: number | string;
  is_default: boolean | number;
  created_at: number | string;
  updated_at: number | string;
}

function toRecord(row: GreetingRow): GreetingRecord {
  return {
    id: toInt(row.id),
    companyId: toInt(row.company_id),
    userId: toInt(row.user_id),
    name: row.name,
    storageKey: row.storage_key,
    durationMs: toInt(row.duration_ms),
    sizeBytes: toInt(row.size_bytes),
    isDefault: toBool(row.is_default),
    createdAt: toInt(row.created_at),
  };
}

export function toGreeting(record: GreetingRecord): Greeting {
  const { companyId: _company, storageKey: _key, sizeBytes: _size, ...greeting } = record;
  return greeting;
}

export interface NewGreeting {
  companyId: number;
  userId: number;
  name: string;
  storageKey: string;
  durationMs: number;
  sizeBytes: number;
  isDefault: boolean;
}

export async function insertGreeting(trx: Knex.Transaction, greeting: NewGreeting, now: number): Promise<GreetingRecord> {
  const [row] = await trx<GreetingRow>("voicemail_greetings")
    .insert({
      company_id: greeting.companyId,
      user_id: greeting.userId,
      name: greeting.name,
      storage_key: greeting.storageKey,
      duration_ms: greeting.durationMs,
      size_bytes: greeting.sizeBytes,
      is_default: greeting.isDefault,
      created_at: now,
      updated_at: now,
    })
    .returning("*");
  if (row === undefined) throw new Error("greeting insert returned no row");
  return toRecord(row);
}

export async function countUserGreetings(db: Knex, userId: number): Promise<number> {
  const [row] = await db("voicemail_greetings").where({ user_id: userId }).count<{ n: number | string }[]>({ n: "*" });
  return toInt(row?.n ?? 0);
}

export async function listUserGreetings(db: Knex, userId: number): Promise<GreetingRecord[]> {
  return (await db<GreetingRow>("voicemail_greetings").where({ user_id: userId }).orderBy("id")).map(toRecord);
}

export async function listCompanyGreetings(db: Knex, companyId: number): Promise<GreetingRecord[]> {
  return (await db<GreetingRow>("voicemail_greetings").where({ company_id: companyId }).orderBy(["user_id", "id"])).map(toRecord);
}

export async function findGreeting(db: Knex, companyId: number, id: number): Promise<GreetingRecord | undefined> {
  const row = await db<GreetingRow>("voicemail_greetings").where({ company_id: companyId, id }).first();
  return row === undefined ? undefined : toRecord(row);
}

export async function findDefaultGreeting(db: Knex, userId: number): Promise<GreetingRecord | undefined> {
  const row = await db<GreetingRow>("voicemail_greetings").where({ user_id: userId, is_default: true }).first();
  return row === undefined ? undefined : toRecord(row);
}

export async function renameGreeting(trx: Knex.Transaction, id: number, name: string, now: number): Promise<void> {
  await trx("voicemail_greetings").where({ id }).update({ name, updated_at: now });
}

/** The user's one default: this greeting on, every other of theirs off. */
export async function setDefaultGreeting(trx: Knex.Transaction, userId: number, id: number, now: number): Promise<void> {
  await trx("voicemail_greetings").where({ user_id: userId }).whereNot({ id }).update({ is_default: false, updated_at: now });
  await trx("voicemail_greetings").where({ id }).update({ is_default: true, updated_at: now });
}

export async function deleteGreeting(trx: Knex.Transaction, id: number): Promise<void> {
  await trx("voicemail_greetings").where({ id }).delete();
}

/** The user's oldest greeting, to become the default when the default is deleted. */
export async function oldestUserGreeting(trx: Knex.Transaction, userId: number): Promise<number | undefined> {
  const row = await trx("voicemail_greetings").where({ user_id: userId }).orderBy("id").first<{ id: number | string } | undefined>("id");
  return row === undefined ? undefined : toInt(row.id);
}
