import type { Knex } from "knex";
import type { Role, User } from "../../src-shared/domain/company";
import type { AdminUser } from "../../src-shared/server-api/admin";
import { toBool, toInt } from "./row-values";

interface UserRow {
  id: number;
  company_id: number;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  locale: string | null;
  caller_enabled: boolean | number;
  verified_number: string | null;
  created_at: number | string;
}

export interface UserRecord extends User {
  /** The stored flag; admins always have Caller whatever it says (see `mayUseCaller`). */
  callerEnabled: boolean;
  /** E.164, the caller ID the PBX presents; null until the user verified a number. */
  verifiedNumber: string | null;
  passwordHash: string;
  createdAt: number;
}

export type NewUser = Omit<UserRecord, "id" | "createdAt" | "verifiedNumber"> & { verifiedNumber?: string | null };

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function toRecord(row: UserRow): UserRecord {
  return {
    id: toInt(row.id),
    companyId: toInt(row.company_id),
    email: row.email,
    name: row.name,
    role: row.role,
    locale: row.locale,
    callerEnabled: toBool(row.caller_enabled),
    verifiedNumber: row.verified_number,
    passwordHash: row.password_hash,
    createdAt: toInt(row.created_at),
  };
}

export function toUser(record: UserRecord): User {
  const { id, companyId, email, name, role, locale } = record;
  return { id, companyId, email, name, role, locale };
}

/** The user's own permission to call, before the plan is considered. */
export function mayUseCaller(user: Pick<UserRecord, "role" | "callerEnabled">): boolean {
  return user.role === "admin" || user.callerEnabled;
}

export function toAdminUser(record: UserRecord): AdminUser {
  return { ...toUser(record), callerEnabled: mayUseCaller(record), createdAt: record.createdAt, verifiedNumber: record.verifiedNumber };
}

/** Disconnects the user's number: their next call is refused until they verify one again. */
export async function clearVerifiedNumber(db: Knex, companyId: number, userId: number): Promise<UserRecord | undefined> {
  const rows = await db<UserRow>("users").where({ company_id: companyId, id: userId }).update({ verified_number: null }).returning("*");
  return rows[0] === undefined ? undefined : toRecord(rows[0]);
}

export async function createUser(db: Knex, user: NewUser, now: number): Promise<UserRecord> {
  const rows = await db<UserRow>("users")
    .insert({
      company_id: user.companyId,
      email: normalizeEmail(user.email),
      name: user.name,
      role: user.role,
      password_hash: user.passwordHash,
      locale: user.locale,
      caller_enabled: user.role === "admin" || user.callerEnabled,
      verified_number: user.verifiedNumber ?? null,
      created_at: now,
    })
    .returning("*");
  const row = rows[0];
  if (row === undefined) throw new Error("insert into users returned no row");
  return toRecord(row);
}

/** Across all companies: only sign-in looks a user up before knowing the company. */
export async function findUserByEmail(db: Knex, email: string): Promise<UserRecord | undefined> {
  const row = await db<UserRow>("users").where({ email: normalizeEmail(email) }).first();
  return row === undefined ? undefined : toRecord(row);
}

export async function getUser(db: Knex, companyId: number, userId: number): Promise<UserRecord | undefined> {
  const row = await db<UserRow>("users").where({ company_id: companyId, id: userId }).first();
  return row === undefined ? undefined : toRecord(row);
}

export async function listUsers(db: Knex, companyId: number): Promise<UserRecord[]> {
  const rows = await db<UserRow>("users").where({ company_id: companyId }).orderBy("id");
  return rows.map(toRecord);
}

/** Stores the user's own Caller permission; returns the updated user, undefined when not in the company. */
export async function setCallerEnabled(db: Knex, companyId: number, userId: number, enabled: boolean): Promise<UserRecord | undefined> {
  const rows = await db<UserRow>("users").where({ company_id: companyId, id: userId }).update({ caller_enabled: enabled }).returning("*");
  return rows[0] === undefined ? undefined : toRecord(rows[0]);
}
