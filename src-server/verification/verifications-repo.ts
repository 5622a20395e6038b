import type { Knex } from "knex";
import type { Verification } from "../../src-shared/server-api/verification";
import type { VerificationState } from "../../src-shared/verification/verification-state";
import { toInt } from "../db/row-values";
import type { HashedCode } from "./verification-code";

interface VerificationRow {
  id: string;
  company_id: number;
  user_id: number;
  number: string;
  extension: string | null;
  code_salt: string;
  code_hash: string;
  state: VerificationState;
  failure_reason: Verification["failureReason"];
  attempts: number | string;
  pbx_channel_id: string;
  created_at: number | string;
  expires_at: number | string;
  updated_at: number | string;
}

export interface VerificationRecord extends Verification {
  companyId: number;
  userId: number;
  code: HashedCode;
  pbxChannelId: string;
}

function toRecord(row: VerificationRow): VerificationRecord {
  return {
    id: row.id,
    companyId: toInt(row.company_id),
    userId: toInt(row.user_id),
    number: row.number,
    extension: row.extension,
    code: { salt: row.code_salt, hash: row.code_hash },
    state: row.state,
    failureReason: row.failure_reason,
    attempts: toInt(row.attempts),
    pbxChannelId: row.pbx_channel_id,
    createdAt: toInt(row.created_at),
    expiresAt: toInt(row.expires_at),
    updatedAt: toInt(row.updated_at),
  };
}

/** What the owner sees: never the code's hash. */
export function toVerification(record: VerificationRecord): Verification {
  const { id, number, extension, state, failureReason, attempts, createdAt, expiresAt, updatedAt } = record;
  return { id, number, extension, state, failureReason, attempts, createdAt, expiresAt, updatedAt };
}

export async function insertVerification(trx: Knex.Transaction, record: VerificationRecord): Promise<void> {
  await trx("verifications").insert({
    id: record.id,
    company_id: record.companyId,
    user_id: record.userId,
    number: record.number,
    extension: record.extension,
    code_salt: record.code.salt,
    code_hash: record.code.hash,
    state: record.state,
    failure_reason: record.failureReason,
    attempts: record.attempts,
    pbx_channel_id: record.pbxChannelId,
    created_at: record.createdAt,
    expires_at: record.expiresAt,
    updated_at: record.updatedAt,
  });
}

export async function getVerification(db: Knex, id: string): Promise<VerificationRecord | undefined> {
  const row = await db<VerificationRow>("verifications").where({ id }).first();
  return row === undefined ? undefined : toRecord(row);
}

/** Saves a move; false when the row is no longer in `from` (someone else moved it first). */
export async function saveVerificationState(
  trx: Knex.Transaction,
  from: VerificationRecord,
  to: Pick<VerificationRecord, "state" | "failureReason" | "attempts" | "updatedAt">,
): Promise<boolean> {
  const changed = await trx("verifications")
    .where({ id: from.id, state: from.state, attempts: from.attempts })
    .update({ state: to.state, failure_reason: to.failureReason, attempts: to.attempts, updated_at: to.updatedAt });
  return changed === 1;
}

export async function countUserVerificationsSince(db: Knex, userId: number, since: number): Promise<number> {
  const [row] = await db("verifications").where("user_id", userId).andWhere("created_at", ">=", since).count<{ n: number | string }[]>({ n: "*" });
  return toInt(row?.n ?? 0);
}

export async function countNumberCallsSince(db: Knex, number: string, since: number): Promise<number> {
  const [row] = await db("verifications").where("number", number).andWhere("created_at", ">=", since).count<{ n: number | string }[]>({ n: "*" });
  return toInt(row?.n ?? 0);
}

export async function setVerifiedNumber(trx: Knex.Transaction, userId: number, number: string): Promise<void> {
  await trx("users").where({ id: userId }).update({ verified_number: number });
}
