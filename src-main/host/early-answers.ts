import Database from "better-sqlite3";
import type { Language, SessionState, Settings, SyncState, Theme } from "../../src-shared/api/contract";
import type { Company, User } from "../../src-shared/domain/company";
import { plans, roles } from "../../src-shared/domain/plan";
import { plainTokenProtector, tokenSchemes, type TokenProtector } from "../core/token-protector";

/** The page's first calls, answered from the store before the core is up. */
export const earlyMethods = ["getSession", "getSettings", "getSyncState"] as const;
export type EarlyMethod = (typeof earlyMethods)[number];

export interface EarlyAnswers {
  getSession: Extract<SessionState, { signedIn: true }>;
  getSettings: Settings;
  getSyncState: SyncState;
}

const languages: readonly (Language | null)[] = ["ja", "en", null];
const themes: readonly (Theme | undefined)[] = ["light", "dark", "system", undefined];

/**
 * What the page needs to draw the signed-in dialer, read straight from the
 * store with one read-only SQLite connection: the core (knex, migrations,
 * services) takes about a second to load and would keep the page blank that
 * long. Answers only what the core would answer the same way on a store it
 * has nothing to do to: a signed-in session whose token the host can read
 * (plain) and settings as the core validates them. Anything else (nobody
 * signed in, an older schema, an odd row) is null, and the page waits for the
 * core as before. The core's own state follows as events once it is up.
 * `tokens` is the protector the core will use: a token it could not read is no session.
 */
export function readEarlyAnswers(storeFile: string, tokens: Pick<TokenProtector, "reveal"> = plainTokenProtector): EarlyAnswers | null {
  let db: Database.Database | null = null;
  try {
    db = new Database(storeFile, { readonly: true, fileMustExist: true });
    // The core holds the write lock only briefly; the host must not wait on it for long.
    db.pragma("busy_timeout = 200");
    const session = readSession(db, tokens);
    const settings = readSettings(db);
    if (!session || !settings) return null;
    const sync = db.prepare("SELECT last_seq, last_synced_at FROM sync_state WHERE id = 1").get() as { last_seq: number; last_synced_at: number | null } | undefined;
    const outbox = db.prepare("SELECT count(*) AS n FROM outbox").get() as { n: number };
    return {
      getSession: session,
      getSettings: settings,
      // A starting app syncs first thing, and an interrupted sync resumes: "syncing" until the core tells its own
      // state. "idle" with the last sync's time would read as up to date while a killed initial sync is half done.
      getSyncState: { status: "syncing", lastSeq: sync?.last_seq ?? 0, lastSyncedAt: sync?.last_synced_at ?? null, error: null, progress: null, pendingEdits: outbox.n, refusedEdits: [] },
    };
  } catch {
    return null;
  } finally {
    db?.close();
  }
}

interface SessionRow {
  server_url: string | null;
  token: string | null;
  token_scheme: string;
  user_json: string | null;
  company_json: string | null;
  caller_enabled: number;
  signed_in_at: number | null;
}

function readSession(db: Database.Database, tokens: Pick<TokenProtector, "reveal">): EarlyAnswers["getSession"] | null {
  const row = db.prepare("SELECT server_url, token, token_scheme, user_json, company_json, caller_enabled, signed_in_at FROM session WHERE id = 1").get() as SessionRow | undefined;
  if (!row || row.server_url === null || row.token === null || row.signed_in_at === null) return null;
  // A token the core's protector cannot read (another scheme, a changed OS key) reads as signed out there.
  const scheme = tokenSchemes.find((known) => known === row.token_scheme);
  if (scheme === undefined || tokens.reveal({ scheme, value: row.token }) === null) return null;
  const user = jsonObject(row.user_json);
  const company = jsonObject(row.company_json);
  if (!isUser(user) || !isCompany(company)) return null;
  return { signedIn: true, serverUrl: row.server_url, user, company, callerEnabled: row.caller_enabled === 1 };
}

// The checks of the User and Company schemas, by hand: zod stays in the core's chunk, which
// this is here to answer before. A row the core would refuse is none here too.
const isInt = (value: unknown): value is number => Number.isInteger(value);
const isString = (value: unknown, length?: number): value is string => typeof value === "string" && (length === undefined || value.length === length);

function isUser(value: Record<string, unknown> | null): value is User & Record<string, unknown> {
  if (!value) return false;
  const { id, companyId, email, name, role, locale } = value;
  return isInt(id) && isInt(companyId) && isString(email) && isString(name) && (roles as readonly unknown[]).includes(role) && (locale === null || isString(locale));
}

function isCompany(value: Record<string, unknown> | null): value is Company & Record<string, unknown> {
  if (!value) return false;
  const { id, name, plan, isTrial, country, currency, timeZone } = value;
  return isInt(id) && isString(name) && (plans as readonly unknown[]).includes(plan) && typeof isTrial === "boolean" && isString(country, 2) && isString(currency, 3) && isString(timeZone);
}

/** Null unless the stored settings are valid as the core reads them (its fallback for invalid ones is the core's to give). */
function readSettings(db: Database.Database): Settings | null {
  const row = db.prepare("SELECT value FROM settings WHERE key = 'settings'").get() as { value: string } | undefined;
  if (!row) return { language: null, defaultCountry: null };
  const value = jsonObject(row.value);
  if (!value) return null;
  const { language, theme, defaultCountry } = value;
  if (!languages.includes(language as Language | null) || !themes.includes(theme as Theme | undefined)) return null;
  if (defaultCountry !== null && !(typeof defaultCountry === "string" && defaultCountry.length === 2)) return null;
  return { language: language as Language | null, ...(theme === undefined ? {} : { theme: theme as Theme }), defaultCountry };
}

function jsonObject(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
