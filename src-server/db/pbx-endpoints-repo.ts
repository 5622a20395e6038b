import { randomBytes } from "node:crypto";
import type { Knex } from "knex";
import type { Plan, Role } from "../../src-shared/domain/company";
import type { RecordingSourceKind } from "../../src-shared/server-api/recordings";
import { toBool, toInt } from "./row-values";

/** A user's PJSIP endpoint as the PBX sees it (endpoint, auth and aor share the id). */
export interface PbxEndpoint {
  endpointId: string;
  password: string;
  userId: number;
  companyId: number;
  /** Made by the load-test seed only (src-server/seed/load-test-users.ts): served with plain RTP for sipp. */
  loadTest: boolean;
}

/** The endpoint with what authorize needs to know about its user and company, read in one query. */
export interface EndpointCaller extends PbxEndpoint {
  revoked: boolean;
  role: Role;
  callerEnabled: boolean;
  verifiedNumber: string | null;
  plan: Plan;
  isTrial: boolean;
  maxCallSeconds: number;
  /** The company's recording policy, as authorize decides `record` (migrations 0011, 0013: where it records). */
  recording: { enabled: boolean; enforced: boolean; consentAnnouncement: boolean; source: RecordingSourceKind };
}

interface EndpointCallerRow {
  endpoint_id: string;
  sip_password: string;
  user_id: number;
  company_id: number;
  load_test: boolean | number;
  revoked_at: number | string | null;
  role: Role;
  caller_enabled: boolean | number;
  verified_number: string | null;
  plan: Plan;
  is_trial: boolean | number;
  max_call_seconds: number | string;
  recording_enabled: boolean | number;
  recording_enforced: boolean | number;
  recording_consent: boolean | number;
  recording_source: string;
}

/** u<user id>-<10 base-32 characters>: 50 random bits, so ids cannot be guessed from user ids. */
export const endpointIdPattern = /^u[1-9][0-9]{0,9}-[a-z2-7]{10}$/;
const base32 = "abcdefghijklmnopqrstuvwxyz234567";

export function newEndpointId(userId: number): string {
  const bytes = randomBytes(10);
  let suffix = "";
  for (const byte of bytes) suffix += base32[byte % 32];
  return `u${userId}-${suffix}`;
}

/** 24 bytes from the CSPRNG, URL-safe base64: 32 characters a SIP digest can carry as is. */
export function newSipPassword(): string {
  return randomBytes(24).toString("base64url");
}

const callerColumns = {
  endpoint_id: "pbx_endpoints.endpoint_id",
  sip_password: "pbx_endpoints.sip_password",
  user_id: "pbx_endpoints.user_id",
  company_id: "pbx_endpoints.company_id",
  load_test: "pbx_endpoints.load_test",
  revoked_at: "pbx_endpoints.revoked_at",
  role: "users.role",
  caller_enabled: "users.caller_enabled",
  verified_number: "users.verified_number",
  plan: "companies.plan",
  is_trial: "companies.is_trial",
  max_call_seconds: "companies.max_call_seconds",
  recording_enabled: "companies.recording_enabled",
  recording_enforced: "companies.recording_enforced",
  recording_consent: "companies.recording_consent",
  recording_source: "companies.recording_source",
};

function toCaller(row: EndpointCallerRow): EndpointCaller {
  return {
    endpointId: row.endpoint_id,
    password: row.sip_password,
    userId: toInt(row.user_id),
    companyId: toInt(row.company_id),
    loadTest: toBool(row.load_test),
    revoked: row.revoked_at !== null,
    role: row.role,
    callerEnabled: toBool(row.caller_enabled),
    verifiedNumber: row.verified_number,
    plan: row.plan,
    isTrial: toBool(row.is_trial),
    maxCallSeconds: toInt(row.max_call_seconds),
    recording: { enabled: toBool(row.recording_enabled), enforced: toBool(row.recording_enforced), consentAnnouncement: toBool(row.recording_consent), source: row.recording_source === "desktop" ? "desktop" : "pbx" },
  };
}

function callerQuery(db: Knex): Knex.QueryBuilder {
  return db("pbx_endpoints")
    .join("users", "users.id", "pbx_endpoints.user_id")
    .join("companies", "companies.id", "pbx_endpoints.company_id")
    .select(callerColumns);
}

/** Plan includes Caller and (admin or enabled): the same rule as `planIncludesCaller` and `mayUseCaller`. */
function whereEntitled(query: Knex.QueryBuilder): Knex.QueryBuilder {
  return query
    .whereNull("pbx_endpoints.revoked_at")
    .whereIn("companies.plan", ["professional", "enterprise"])
    .andWhere((q) => {
      void q.where("users.role", "admin").orWhere("users.caller_enabled", true);
    });
}

/** Any endpoint, revoked ones included (old call records), with its user and company. */
export async function findEndpointCaller(db: Knex, endpointId: string): Promise<EndpointCaller | undefined> {
  if (!endpointIdPattern.test(endpointId)) return undefined;
  const row = (await callerQuery(db).where("pbx_endpoints.endpoint_id", endpointId).first()) as EndpointCallerRow | undefined;
  return row === undefined ? undefined : toCaller(row);
}

/** The endpoint the PBX may serve now: not revoked, and its user still entitled to Caller. */
export async function findServableEndpoint(db: Knex, endpointId: string): Promise<PbxEndpoint | undefined> {
  if (!endpointIdPattern.test(endpointId)) return undefined;
  const row = (await whereEntitled(callerQuery(db).where("pbx_endpoints.endpoint_id", endpointId)).first()) as EndpointCallerRow | undefined;
  return row === undefined ? undefined : toCaller(row);
}

/** The endpoints the PBX may ring now for these users (one each at most), with their company's recording policy: an inbound call's targets. */
export async function findServableEndpointsOfUsers(db: Knex, userIds: readonly number[]): Promise<EndpointCaller[]> {
  if (userIds.length === 0) return [];
  const rows = (await whereEntitled(callerQuery(db).whereIn("pbx_endpoints.user_id", [...userIds]))) as EndpointCallerRow[];
  return rows.map(toCaller);
}

async function activeEndpoint(db: Knex, userId: number): Promise<PbxEndpoint | undefined> {
  const row = (await callerQuery(db).where("pbx_endpoints.user_id", userId).whereNull("pbx_endpoints.revoked_at").first()) as EndpointCallerRow | undefined;
  return row === undefined ? undefined : toCaller(row);
}

/** The user's active endpoint with the facts authorize decides on (the power dialer's precheck asks the same questions). */
export async function findUserCaller(db: Knex, userId: number): Promise<EndpointCaller | undefined> {
  const row = (await callerQuery(db).where("pbx_endpoints.user_id", userId).whereNull("pbx_endpoints.revoked_at").first()) as EndpointCallerRow | undefined;
  return row === undefined ? undefined : toCaller(row);
}

/** The user's active endpoint, made on first use. Two racing requests end with the same one (unique partial index). */
export async function ensureEndpoint(db: Knex, user: { id: number; companyId: number }, now: number): Promise<PbxEndpoint> {
  const existing = await activeEndpoint(db, user.id);
  if (existing !== undefined) return existing;
  // A racing request may have made it first: the one-active-per-user index ignores the second insert.
  await db("pbx_endpoints")
    .insert({
      company_id: user.companyId,
      user_id: user.id,
      endpoint_id: newEndpointId(user.id),
      sip_password: newSipPassword(),
      created_at: now,
      revoked_at: null,
    })
    .onConflict()
    .ignore();
  const created = await activeEndpoint(db, user.id);
  if (created === undefined) throw new Error(`endpoint for user ${user.id} vanished after insert`);
  return created;
}

/** Retires the user's endpoint: its id and password never work again; a later grant makes new ones. Resolves with the ids retired. */
export async function revokeEndpoints(db: Knex, userId: number, now: number): Promise<string[]> {
  const rows: { endpoint_id: string }[] = await db("pbx_endpoints").where({ user_id: userId }).whereNull("revoked_at").update({ revoked_at: now }).returning("endpoint_id");
  return rows.map((row) => row.endpoint_id);
}
