import type { Knex } from "knex";
import type { CoachingLogEntry, CoachingMode } from "../../src-shared/server-api/coaching";
import { toBool, toInt } from "../db/row-values";

export interface CoachingSession {
  id: number;
  companyId: number;
  adminUserId: number;
  callId: number;
  mode: CoachingMode;
  tokenExpiresAt: number;
  joinedAt: number | null;
  spyUniqueid: string | null;
  createdAt: number;
}

interface SessionRow {
  id: number | string;
  company_id: number | string;
  admin_user_id: number | string;
  call_id: number | string;
  mode: CoachingMode;
  token_expires_at: number | string;
  joined_at: number | string | null;
  spy_uniqueid: string | null;
  token_hash: string;
  created_at: number | string;
}

const toSession = (row: SessionRow): CoachingSession => ({
  id: toInt(row.id),
  companyId: toInt(row.company_id),
  adminUserId: toInt(row.admin_user_id),
  callId: toInt(row.call_id),
  mode: row.mode,
  tokenExpiresAt: toInt(row.token_expires_at),
  joinedAt: row.joined_at === null ? null : toInt(row.joined_at),
  spyUniqueid: row.spy_uniqueid,
  createdAt: toInt(row.created_at),
});

export type NewCoachingSession = Pick<CoachingSession, "companyId" | "adminUserId" | "callId" | "mode" | "tokenExpiresAt"> & { tokenHash: string };

export async function insertCoachingSession(db: Knex, session: NewCoachingSession, now: number): Promise<CoachingSession> {
  const rows = await db<SessionRow>("coaching_sessions")
    .insert({
      company_id: session.companyId,
      admin_user_id: session.adminUserId,
      call_id: session.callId,
      mode: session.mode,
      token_hash: session.tokenHash,
      token_expires_at: session.tokenExpiresAt,
      created_at: now,
    })
    .returning("*");
  return toSession(rows[0]!);
}

/** The session a token names while it is unexpired and unused. */
export async function findUsableCoachingSession(db: Knex, tokenHash: string, now: number): Promise<CoachingSession | undefined> {
  const row = await db<SessionRow>("coaching_sessions").where({ token_hash: tokenHash }).whereNull("joined_at").andWhere("token_expires_at", ">", now).first();
  return row === undefined ? undefined : toSession(row);
}

/** Marks the session joined, once: false when another request used it first. */
export async function claimCoachingSession(db: Knex, id: number, spyUniqueid: string, now: number): Promise<boolean> {
  const claimed = await db("coaching_sessions").where({ id }).whereNull("joined_at").andWhere("token_expires_at", ">", now).update({ joined_at: now, spy_uniqueid: spyUniqueid });
  return claimed === 1;
}

interface LogRow {
  id: number | string;
  admin_user_id: number | string;
  admin_name: string;
  call_id: number | string;
  user_name: string;
  number: string;
  mode: CoachingMode;
  created_at: number | string;
  joined_at: number | string | null;
  left_at: number | string | null;
}

const toLogEntry = (row: LogRow): CoachingLogEntry => ({
  id: toInt(row.id),
  adminUserId: toInt(row.admin_user_id),
  adminName: row.admin_name,
  callId: String(toInt(row.call_id)),
  userName: row.user_name,
  number: row.number,
  mode: row.mode,
  createdAt: toInt(row.created_at),
  joinedAt: row.joined_at === null ? null : toInt(row.joined_at),
  leftAt: row.left_at === null ? null : toInt(row.left_at),
});

function logQuery(db: Knex): Knex.QueryBuilder {
  return db("coaching_sessions as s")
    .join("users as a", "a.id", "s.admin_user_id")
    .join("calls as c", "c.id", "s.call_id")
    .join("users as u", "u.id", "c.user_id")
    .select("s.id", "s.admin_user_id", "a.name as admin_name", "s.call_id", "u.name as user_name", "c.number", "s.mode", "s.created_at", "s.joined_at", "s.left_at")
    .orderBy([{ column: "s.created_at", order: "desc" }, { column: "s.id", order: "desc" }]);
}

export async function listCompanyCoachingLog(db: Knex, companyId: number, limit: number): Promise<CoachingLogEntry[]> {
  const rows = (await logQuery(db).where("s.company_id", companyId).limit(limit)) as LogRow[];
  return rows.map(toLogEntry);
}

export async function listCallCoachingLog(db: Knex, companyId: number, callId: number): Promise<CoachingLogEntry[]> {
  const rows = (await logQuery(db).where({ "s.company_id": companyId, "s.call_id": callId })) as LogRow[];
  return rows.map(toLogEntry);
}

/** The admin's leg with this uniqueid ended: its session's end, noted once. */
export async function noteCoachingLeft(db: Knex, spyUniqueid: string, now: number): Promise<void> {
  await db("coaching_sessions").where({ spy_uniqueid: spyUniqueid }).whereNull("left_at").update({ left_at: now });
}

/** A call's joined sessions with their admin's names, newest first: who may be on the call now. */
export async function listJoinedSessions(db: Knex, callId: number): Promise<Array<{ adminName: string; mode: CoachingMode; spyUniqueid: string }>> {
  const rows = await db("coaching_sessions as s")
    .join("users as a", "a.id", "s.admin_user_id")
    .where("s.call_id", callId)
    .whereNotNull("s.joined_at")
    .whereNotNull("s.spy_uniqueid")
    .orderBy("s.joined_at", "desc")
    .select<Array<{ admin_name: string; mode: CoachingMode; spy_uniqueid: string }>>("a.name as admin_name", "s.mode", "s.spy_uniqueid");
  return rows.map((r) => ({ adminName: r.admin_name, mode: r.mode, spyUniqueid: r.spy_uniqueid }));
}

export interface OpenCompanyCall {
  id: number;
  userId: number;
  userName: string;
  number: string;
  pbxUniqueid: string;
  startedAt: number;
  answeredAt: number | null;
}

/** The company's authorized calls not yet ended, by the call records. */
export async function listCompanyOpenCalls(db: Knex, companyId: number): Promise<OpenCompanyCall[]> {
  const rows = await db("calls as c")
    .join("users as u", "u.id", "c.user_id")
    .where({ "c.company_id": companyId, "c.status": "authorized" })
    .whereNull("c.ended_at")
    .orderBy("c.started_at", "asc")
    .select<
      Array<{
        id: number | string;
        user_id: number | string;
        user_name: string;
        number: string;
        pbx_uniqueid: string;
        started_at: number | string;
        answered_at: number | string | null;
      }>
    >("c.id", "c.user_id", "u.name as user_name", "c.number", "c.pbx_uniqueid", "c.started_at", "c.answered_at");
  return rows.map((r) => ({
    id: toInt(r.id),
    userId: toInt(r.user_id),
    userName: r.user_name,
    number: r.number,
    pbxUniqueid: r.pbx_uniqueid,
    startedAt: toInt(r.started_at),
    answeredAt: r.answered_at === null ? null : toInt(r.answered_at),
  }));
}

export async function findCompanyCall(db: Knex, companyId: number, callId: number): Promise<{ id: number; userId: number; status: string; pbxUniqueid: string; endedAt: number | null } | undefined> {
  const row = await db("calls")
    .where({ id: callId, company_id: companyId })
    .first<{ id: number | string; user_id: number | string; status: string; pbx_uniqueid: string; ended_at: number | string | null } | undefined>("id", "user_id", "status", "pbx_uniqueid", "ended_at");
  return row === undefined ? undefined : { id: toInt(row.id), userId: toInt(row.user_id), status: row.status, pbxUniqueid: row.pbx_uniqueid, endedAt: row.ended_at === null ? null : toInt(row.ended_at) };
}

export async function getCoachingPolicy(db: Knex, companyId: number): Promise<{ notifyUser: boolean }> {
  const row = await db("coaching_policies").where({ company_id: companyId }).first<{ notify_user: boolean | number } | undefined>("notify_user");
  return { notifyUser: row === undefined ? false : toBool(row.notify_user) };
}

export async function setCoachingPolicy(db: Knex, companyId: number, notifyUser: boolean, now: number): Promise<void> {
  await db("coaching_policies").insert({ company_id: companyId, notify_user: notifyUser, updated_at: now }).onConflict("company_id").merge(["notify_user", "updated_at"]);
}
