import type { Knex } from "knex";
import type { OperatorAccount } from "../../src-shared/server-api/auth";
import { toInt } from "../db/row-values";
import { normalizeEmail } from "../db/users-repo";

interface OperatorRow {
  id: number;
  email: string;
  name: string;
  password_hash: string;
  created_at: number | string;
}

export interface OperatorRecord extends OperatorAccount {
  passwordHash: string;
  createdAt: number;
}

/** A live operator session, read fresh on every request. */
export interface OperatorIdentity extends OperatorAccount {
  sessionId: number;
}

const toRecord = (row: OperatorRow): OperatorRecord => ({
  id: toInt(row.id),
  email: row.email,
  name: row.name,
  passwordHash: row.password_hash,
  createdAt: toInt(row.created_at),
});

export const toOperatorAccount = ({ id, email, name }: OperatorRecord): OperatorAccount => ({ id, email, name });

export async function insertOperator(db: Knex, operator: { email: string; name: string; passwordHash: string }, now: number): Promise<OperatorRecord> {
  const [row] = await db<OperatorRow>("operators")
    .insert({ email: normalizeEmail(operator.email), name: operator.name, password_hash: operator.passwordHash, created_at: now })
    .returning("*");
  if (row === undefined) throw new Error("insert into operators returned no row");
  return toRecord(row);
}

export async function findOperatorByEmail(db: Knex, email: string): Promise<OperatorRecord | undefined> {
  const row = await db<OperatorRow>("operators").where({ email: normalizeEmail(email) }).first();
  return row === undefined ? undefined : toRecord(row);
}

export async function listOperators(db: Knex): Promise<OperatorRecord[]> {
  return (await db<OperatorRow>("operators").orderBy("id")).map(toRecord);
}

export async function setOperatorPassword(db: Knex, operatorId: number, passwordHash: string): Promise<void> {
  await db("operators").where({ id: operatorId }).update({ password_hash: passwordHash });
  // A new password ends every session made with the old one.
  await db("operator_sessions").where({ operator_id: operatorId }).delete();
}

export async function createOperatorSession(db: Knex, session: { tokenHash: string; operatorId: number; createdAt: number; expiresAt: number }): Promise<void> {
  await db("operator_sessions").insert({ token_hash: session.tokenHash, operator_id: session.operatorId, created_at: session.createdAt, expires_at: session.expiresAt });
}

export async function findOperatorSession(db: Knex, tokenHash: string, now: number): Promise<OperatorIdentity | undefined> {
  const row = await db("operator_sessions")
    .join("operators", "operators.id", "operator_sessions.operator_id")
    .where("operator_sessions.token_hash", tokenHash)
    .andWhere("operator_sessions.expires_at", ">", now)
    .first<{ session_id: number; id: number; email: string; name: string } | undefined>({
      session_id: "operator_sessions.id",
      id: "operators.id",
      email: "operators.email",
      name: "operators.name",
    });
  return row === undefined ? undefined : { sessionId: toInt(row.session_id), id: toInt(row.id), email: row.email, name: row.name };
}

export async function deleteOperatorSession(db: Knex, sessionId: number): Promise<void> {
  await db("operator_sessions").where({ id: sessionId }).delete();
}

export async function deleteExpiredOperatorSessions(db: Knex, now: number): Promise<number> {
  return db("operator_sessions").where("expires_at", "<=", now).delete();
}
