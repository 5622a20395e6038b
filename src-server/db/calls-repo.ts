import type { Knex } from "knex";
import type { HistoryCall } from "../../src-shared/api/contract";
import { outcomeEnglishName } from "../../src-shared/crm/logged-outcome";
import { CallQualitySummary } from "../../src-shared/server-api/calls";
import { DefaultOutcomeKey } from "../../src-shared/server-api/company-admin";
import { dispositionOf, type CallFields } from "../calls/call-fields";
import type { CallStatus } from "../calls/call-status";
import { dialectOf } from "./open-database";
import { toBool, toInt } from "./row-values";

/** A stored call: its fields, the server's id, and the quality summary the app reported. */
export interface CallRecord extends CallFields {
  id: number;
  disposition: string;
  quality: CallQualitySummary | null;
  updatedAt: number;
  /** The logged outcome's name (an admin's as typed, a default's English name) and notes (src-server/company/call-outcome-log.ts). */
  outcome?: string | null;
  /** A default outcome's key: the app shows it in its own language. */
  outcomeKey?: DefaultOutcomeKey | null;
  notes?: string | null;
  /** The CRM person and deal it belongs to (src-server/crm/call-links.ts), names as snapshots. */
  contactId?: number | null;
  contactName?: string | null;
  dealId?: number | null;
  dealTitle?: string | null;
}

interface CallRow {
  id: number;
  company_id: number;
  user_id: number;
  pbx_uniqueid: string;
  client_call_id: string | null;
  number: string;
  direction: "outbound" | "inbound";
  status: CallStatus;
  started_at: number | string;
  answered_at: number | string | null;
  ended_at: number | string | null;
  billed_seconds: number | string;
  disposition: string;
  dial_status: string | null;
  cdr_disposition: string | null;
  hangup_cause: number | string | null;
  refusal_reason: string | null;
  cost_micros: number | string | null;
  tariff_version: number | null;
  live_answered_at: number | string | null;
  interrupted: boolean | number;
  transferred_by?: string | null;
  quality_json: string | null;
  updated_at: number | string;
  outcome_name?: string | null;
  outcome_key?: string | null;
  outcome_notes?: string | null;
  contact_id?: number | string | null;
  contact_name?: string | null;
  deal_id?: number | string | null;
  deal_title?: string | null;
}

const intOrNull = (value: number | string | null): number | null => (value === null ? null : toInt(value));

function parseQuality(json: string | null): CallQualitySummary | null {
  if (json === null) return null;
  const parsed = CallQualitySummary.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : null;
}

function toRecord(row: CallRow): CallRecord {
  const outcome = { key: DefaultOutcomeKey.safeParse(row.outcome_key).data ?? null, name: row.outcome_name ?? null };
  return {
    id: toInt(row.id),
    companyId: toInt(row.company_id),
    userId: toInt(row.user_id),
    pbxUniqueid: row.pbx_uniqueid,
    clientCallId: row.client_call_id,
    number: row.number,
    direction: row.direction,
    status: row.status,
    startedAt: toInt(row.started_at),
    answeredAt: intOrNull(row.answered_at),
    endedAt: intOrNull(row.ended_at),
    billedSeconds: toInt(row.billed_seconds),
    disposition: row.disposition,
    dialStatus: row.dial_status,
    cdrDisposition: row.cdr_disposition,
    hangupCause: intOrNull(row.hangup_cause),
    refusalReason: row.refusal_reason,
    costMicros: intOrNull(row.cost_micros),
    tariffVersion: intOrNull(row.tariff_version),
    liveAnsweredAt: intOrNull(row.live_answered_at),
    interrupted: toBool(row.interrupted),
    ...(row.transferred_by == null ? {} : { transferredBy: row.transferred_by }),
    quality: parseQuality(row.quality_json),
    updatedAt: toInt(row.updated_at),
    outcome: outcomeEnglishName(outcome),
    outcomeKey: outcome.key,
    notes: row.outcome_notes ?? null,
    contactId: intOrNull(row.contact_id ?? null),
    contactName: row.contact_name ?? null,
    dealId: intOrNull(row.deal_id ?? null),
    dealTitle: row.deal_title ?? null,
  };
}

function toColumns(call: CallFields): Omit<CallRow, "id" | "quality_json" | "updated_at"> {
  return {
    company_id: call.companyId,
    user_id: call.userId,
    pbx_uniqueid: call.pbxUniqueid,
    client_call_id: call.clientCallId,
    number: call.number,
    direction: call.direction,
    status: call.status,
    started_at: call.startedAt,
    answered_at: call.answeredAt,
    ended_at: call.endedAt,
    billed_seconds: call.billedSeconds,
    disposition: dispositionOf(call),
    dial_status: call.dialStatus,
    cdr_disposition: call.cdrDisposition,
    hangup_cause: call.hangupCause,
    refusal_reason: call.refusalReason,
    cost_micros: call.costMicros,
    tariff_version: call.tariffVersion,
    live_answered_at: call.liveAnsweredAt,
    interrupted: call.interrupted,
    // Written by the record's first save only: an update from fields that lack it keeps the column.
    ...(call.transferredBy === undefined ? {} : { transferred_by: call.transferredBy }),
  };
}

/** Only a linked call carries its CRM fields (an unlinked one reads as before). */
function crmLinkOf(call: CallRecord): Pick<HistoryCall, "contactId" | "contactName" | "dealId" | "dealTitle"> {
  if (call.contactId == null && call.dealId == null) return {};
  return {
    contactId: call.contactId == null ? null : String(call.contactId),
    contactName: call.contactName ?? null,
    dealId: call.dealId == null ? null : String(call.dealId),
    dealTitle: call.dealTitle ?? null,
  };
}

/** The call as the app's history shows it; cost and outcome belong to other parts of the server. `recordingId` only when known. */
export function toHistoryCall(call: CallRecord, recordingId?: string): HistoryCall {
  return {
    id: String(call.id),
    direction: call.direction,
    number: call.number,
    startedAt: call.startedAt,
    answeredAt: call.answeredAt,
    endedAt: call.endedAt,
    billedSeconds: call.billedSeconds,
    disposition: call.disposition,
    costMicros: call.costMicros,
    // Desktops without keys show the English name; newer ones read the key (src-shared/crm/logged-outcome.ts).
    outcome: call.outcome ?? null,
    outcomeKey: call.outcomeKey ?? null,
    notes: call.notes ?? null,
    ...crmLinkOf(call),
    userId: String(call.userId),
    ...(call.transferredBy == null ? {} : { transferredBy: call.transferredBy }),
    ...(recordingId === undefined ? {} : { recordingId }),
  };
}

/** Inside a transaction: locks the row on PostgreSQL so concurrent CDR merges of one call take turns. */
export async function findCallForUpdate(trx: Knex.Transaction, pbxUniqueid: string): Promise<CallRecord | undefined> {
  const query = trx<CallRow>("calls").where({ pbx_uniqueid: pbxUniqueid });
  const row = await (dialectOf(trx) === "postgres" ? query.forUpdate() : query).first();
  return row === undefined ? undefined : toRecord(row);
}

/** What a call's first authorization left: whose it was, to which number, and where it stands. */
export type CallAuthorizationFacts = Pick<CallFields, "userId" | "number" | "status" | "refusalReason">;

/** The record a uniqueid already has, read on authorize's path. */
export async function findCallAuthorization(db: Knex, pbxUniqueid: string): Promise<CallAuthorizationFacts | undefined> {
  const row = await db<CallRow>("calls").where("pbx_uniqueid", pbxUniqueid).first<Pick<CallRow, "user_id" | "number" | "status" | "refusal_reason"> | undefined>("user_id", "number", "status", "refusal_reason");
  return row === undefined ? undefined : { userId: toInt(row.user_id), number: row.number, status: row.status, refusalReason: row.refusal_reason };
}

/** Inserts unless a row for the uniqueid appeared meanwhile; undefined then (the caller re-reads and merges). */
export async function insertCall(trx: Knex.Transaction, call: CallFields, now: number): Promise<CallRecord | undefined> {
  const rows = await trx<CallRow>("calls")
    .insert({ ...toColumns(call), quality_json: null, updated_at: now })
    .onConflict("pbx_uniqueid")
    .ignore()
    .returning("*");
  return rows[0] === undefined ? undefined : toRecord(rows[0]);
}

export async function updateCall(trx: Knex.Transaction, id: number, call: CallFields, now: number): Promise<CallRecord> {
  const rows = await trx<CallRow>("calls")
    .where({ id })
    .update({ ...toColumns(call), updated_at: now })
    .returning("*");
  if (rows[0] === undefined) throw new Error(`call ${id} vanished during an update`);
  return toRecord(rows[0]);
}

/** The user's own call the app knows by its client call id (the newest, should the app reuse an id). */
export async function findUserCallByClientId(db: Knex, userId: number, clientCallId: string): Promise<CallRecord | undefined> {
  const row = await db<CallRow>("calls").where({ user_id: userId, client_call_id: clientCallId }).orderBy("id", "desc").first();
  return row === undefined ? undefined : toRecord(row);
}

/** An incoming call of the company by the client call id the server gave it: its record is a ring group's first member's until the CDR names who answered. */
export async function findCompanyInboundCall(db: Knex, companyId: number, clientCallId: string): Promise<CallRecord | undefined> {
  const row = await db<CallRow>("calls").where({ company_id: companyId, client_call_id: clientCallId, direction: "inbound" }).orderBy("id", "desc").first();
  return row === undefined ? undefined : toRecord(row);
}

export async function setCallQuality(trx: Knex.Transaction, id: number, quality: CallQualitySummary, now: number): Promise<CallRecord> {
  const rows = await trx<CallRow>("calls").where({ id }).update({ quality_json: JSON.stringify(quality), updated_at: now }).returning("*");
  if (rows[0] === undefined) throw new Error(`call ${id} vanished while storing its quality`);
  return toRecord(rows[0]);
}

export async function listUserCalls(db: Knex, userId: number): Promise<CallRecord[]> {
  const rows = await db<CallRow>("calls").where({ user_id: userId }).orderBy("id");
  return rows.map(toRecord);
}

/** Calls authorized before `startedBefore` that no CDR has ended yet, oldest first. */
export async function listOpenCalls(trx: Knex.Transaction, startedBefore: number): Promise<CallRecord[]> {
  const rows = await trx<CallRow>("calls").where({ status: "authorized" }).whereNull("ended_at").andWhere("started_at", "<", startedBefore).orderBy("started_at");
  return rows.map(toRecord);
}

/** The PBX uniqueids of the user's calls still in progress (authorized, no CDR yet). */
export async function listUserOpenCallIds(db: Knex, userId: number): Promise<string[]> {
  return db("calls").where({ user_id: userId, status: "authorized" }).whereNull("ended_at").orderBy("id").pluck("pbx_uniqueid");
}

/** The first answer AMI reported for a call still in progress; false when there is no such call or it had one. */
export async function setLiveAnsweredAt(trx: Knex.Transaction, pbxUniqueid: string, at: number): Promise<boolean> {
  const changed = await trx("calls").where({ pbx_uniqueid: pbxUniqueid, status: "authorized" }).whereNull("live_answered_at").update({ live_answered_at: at });
  return changed === 1;
}

export async function getCdrCursor(db: Knex, source: string): Promise<number> {
  const row = await db("pbx_cdr_cursors").where({ source }).first<{ last_row_id: number | string } | undefined>();
  return row === undefined ? 0 : toInt(row.last_row_id);
}

export async function setCdrCursor(db: Knex, source: string, lastRowId: number, now: number): Promise<void> {
  await db("pbx_cdr_cursors")
    .insert({ source, last_row_id: lastRowId, updated_at: now })
    .onConflict("source")
    .merge({ last_row_id: lastRowId, updated_at: now });
}
