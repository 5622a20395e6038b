import type { Knex } from "knex";
import type { Role } from "../../src-shared/domain/company";
import { toInt } from "./row-values";

export interface NewSession {
  tokenHash: string;
  userId: number;
  createdAt: number;
  expiresAt: number;
}

/** A live session with its user's current role and company, read fresh on every request. */
export interface SessionIdentity {
  sessionId: number;
  userId: number;
  companyId: number;
  role: Role;
}

interface SessionJoinRow {
  session_id: number;
  user_id: number;
  company_id: number;
  role: Role;
}

export async function createSession(db: Knex, session: NewSession): Promise<number> {
  const rows = await db("sessions")
    .insert({
      token_hash: session.tokenHash,
      user_id: session.userId,
      created_at: session.createdAt,
      expires_at: session.expiresAt,
    })
    .returning<{ id: number }[]>("id");
  const row = rows[0];
  if (row === undefined) throw new Error("insert into sessions returned no row");
  return toInt(row.id);
}

export async function findSession(db: Knex, tokenHash: string, now: number): Promise<SessionIdentity | undefined> {
  const row = await db("sessions")
    .join("users", "users.id", "sessions.user_id")
    .where("sessions.token_hash", tokenHash)
    .andWhere("sessions.expires_at", ">", now)
    .first<SessionJoinRow | undefined>({
      session_id: "sessions.id",
      user_id: "users.id",
      company_id: "users.company_id",
      role: "users.role",
    });
  if (row === undefined) return undefined;
  return { sessionId: toInt(row.session_id), userId: toInt(row.user_id), companyId: toInt(row.company_id), role: row.role };
}

export async function deleteSession(db: Knex, sessionId: number): Promise<void> {
  await db("sessions").where({ id: sessionId }).delete();
}

export async function deleteExpiredSessions(db: Knex, now: number): Promise<number> {
  return db("sessions").where("expires_at", "<=", now).delete();
}
