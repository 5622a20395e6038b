import type { Knex } from "knex";
import { Company, User } from "../../../src-shared/domain/company";
import { tokenSchemes, type StoredToken, type TokenScheme } from "../token-protector";
import { parseJson, toJson } from "./safe-json";

interface SessionRow {
  id: 1;
  server_url: string | null;
  token: string | null;
  token_scheme: string;
  user_json: string | null;
  company_json: string | null;
  caller_enabled: number;
  signed_in_at: number | null;
}

/** The signed-in session. The token never leaves the core, and is kept as its TokenProtector wrote it. */
export interface StoredSession {
  serverUrl: string;
  token: StoredToken;
  user: User;
  company: Company;
  callerEnabled: boolean;
  signedInAt: number;
}

/** Null when nobody is signed in. A half-written or corrupt row reads as signed out: signing in again repairs it. */
export async function getSession(db: Knex): Promise<StoredSession | null> {
  const row = await db<SessionRow>("session").where({ id: 1 }).first();
  if (!row || row.server_url === null || row.token === null || row.signed_in_at === null) return null;
  const user = parseJson(row.user_json, User);
  const company = parseJson(row.company_json, Company);
  if (!user.ok || !company.ok || !isTokenScheme(row.token_scheme)) return null;
  return {
    serverUrl: row.server_url,
    token: { scheme: row.token_scheme, value: row.token },
    user: user.value,
    company: company.value,
    callerEnabled: row.caller_enabled === 1,
    signedInAt: row.signed_in_at,
  };
}

/** `signedInAt` defaults to now; saving again (a refresh) keeps no older fields. */
export async function saveSession(
  db: Knex,
  session: Omit<StoredSession, "signedInAt"> & { signedInAt?: number | undefined },
): Promise<void> {
  const row: SessionRow = {
    id: 1,
    server_url: session.serverUrl,
    token: session.token.value,
    token_scheme: session.token.scheme,
    user_json: toJson(session.user, "session user"),
    company_json: toJson(session.company, "session company"),
    caller_enabled: session.callerEnabled ? 1 : 0,
    signed_in_at: session.signedInAt ?? Date.now(),
  };
  await db<SessionRow>("session").insert(row).onConflict("id").merge();
}

/** Forgets the credentials and who signed in; keeps the server URL for the next sign-in form. */
export async function clearSession(db: Knex): Promise<void> {
  await db<SessionRow>("session")
    .where({ id: 1 })
    .update({ token: null, token_scheme: "plain", user_json: null, company_json: null, caller_enabled: 0, signed_in_at: null });
}

/** The server last signed in to, signed in now or not. */
export async function getLastServerUrl(db: Knex): Promise<string | null> {
  const row = await db<SessionRow>("session").where({ id: 1 }).first("server_url");
  return row?.server_url ?? null;
}

const isTokenScheme = (value: string): value is TokenScheme => (tokenSchemes as readonly string[]).includes(value);
