import type { Knex } from "knex";
import { toBool, toInt } from "../db/row-values";

/** An inbound call as the voicemail email needs it. */
export interface VoicemailCall {
  companyId: number;
  userId: number;
  direction: "outbound" | "inbound";
  voicemail: boolean;
  /** The company number dialed; null for a call that did not come in on one. */
  inboundNumber: string | null;
  /** A teammate transferred the call to its user (the message is theirs alone); null otherwise. */
  transferredBy: string | null;
}

export async function findVoicemailCall(db: Knex, callId: number): Promise<VoicemailCall | undefined> {
  const row = await db("calls")
    .where({ id: callId })
    .first<{ company_id: number | string; user_id: number | string; direction: "outbound" | "inbound"; voicemail: boolean | number; inbound_number: string | null; transferred_by: string | null } | undefined>(
      "company_id",
      "user_id",
      "direction",
      "voicemail",
      "inbound_number",
      "transferred_by",
    );
  return row === undefined
    ? undefined
    : { companyId: toInt(row.company_id), userId: toInt(row.user_id), direction: row.direction, voicemail: toBool(row.voicemail), inboundNumber: row.inbound_number, transferredBy: row.transferred_by };
}

/** Who a company number rings now: its user, or its group's members in ring order. */
export async function usersOfNumber(db: Knex, companyId: number, number: string): Promise<number[]> {
  const row = await db("company_numbers").where({ company_id: companyId, number }).first<{ user_id: number | string | null; group_id: number | string | null } | undefined>("user_id", "group_id");
  if (row === undefined) return [];
  if (row.user_id !== null) return [toInt(row.user_id)];
  if (row.group_id === null) return [];
  const ids = await db("ring_group_members").where({ group_id: row.group_id }).orderBy("position").pluck<(number | string)[]>("user_id");
  return ids.map(toInt);
}

/** Of these users, those of the company who can still use Caller (admins, or Caller turned on) and want their voicemails by email. */
export async function voicemailMailUserIds(db: Knex, companyId: number, userIds: readonly number[]): Promise<number[]> {
  if (userIds.length === 0) return [];
  const ids = await db("users")
    .where({ company_id: companyId, voicemail_email: true })
    .whereIn("id", [...userIds])
    .andWhere((q) => void q.where("role", "admin").orWhere("caller_enabled", true))
    .orderBy("id")
    .pluck<(number | string)[]>("id");
  return ids.map(toInt);
}

/** Adds the outbox rows; one already there for a recording and user stays as it is. */
export async function insertVoicemailEmails(db: Knex, rows: readonly { companyId: number; recordingId: number; userId: number }[], now: number): Promise<void> {
  if (rows.length === 0) return;
  await db("voicemail_emails")
    .insert(rows.map((r) => ({ company_id: r.companyId, recording_id: r.recordingId, user_id: r.userId, created_at: now, next_attempt_at: now })))
    .onConflict(["recording_id", "user_id"])
    .ignore();
}

/** Rows to try now: not sent, not given up, due, and not leased by a live sender. */
export async function dueVoicemailEmails(db: Knex, now: number, limit: number): Promise<number[]> {
  const ids = await db("voicemail_emails")
    .whereNull("sent_at")
    .whereNull("given_up_at")
    .where("next_attempt_at", "<=", now)
    .andWhere((q) => void q.whereNull("lease_until").orWhere("lease_until", "<", now))
    .orderBy("id")
    .limit(limit)
    .pluck<(number | string)[]>("id");
  return ids.map(toInt);
}

/** Rows still unsent that were queued before `cutoff` (a mail server configured only days later): given up, never sent late. */
export async function giveUpVoicemailEmailsBefore(db: Knex, cutoff: number, now: number): Promise<number> {
  return db("voicemail_emails").whereNull("sent_at").whereNull("given_up_at").where("created_at", "<", cutoff).update({ given_up_at: now, last_error: "too old to send" });
}

/** Takes the row for `owner` until `leaseUntil`, if it is still due and free; false: another sender has it (or it is done). */
export async function claimVoicemailEmail(db: Knex, id: number, owner: string, now: number, leaseUntil: number): Promise<boolean> {
  const claimed = await db("voicemail_emails")
    .where({ id })
    .whereNull("sent_at")
    .whereNull("given_up_at")
    .andWhere((q) => void q.whereNull("lease_until").orWhere("lease_until", "<", now))
    .update({ lease_until: leaseUntil, lease_owner: owner });
  return claimed === 1;
}

export async function markVoicemailEmailSent(db: Knex, id: number, owner: string, now: number): Promise<void> {
  await db("voicemail_emails").where({ id, lease_owner: owner }).update({ sent_at: now, lease_until: null, lease_owner: null, last_error: null });
}

/** A failed try: the next at `nextAttemptAt`, or none (`givenUp`). */
export async function markVoicemailEmailFailed(db: Knex, id: number, owner: string, failure: { error: string; nextAttemptAt: number; givenUpAt: number | null }): Promise<void> {
  await db("voicemail_emails")
    .where({ id, lease_owner: owner })
    .update({ attempts: db.raw("attempts + 1"), next_attempt_at: failure.nextAttemptAt, given_up_at: failure.givenUpAt, last_error: failure.error.slice(0, 500), lease_until: null, lease_owner: null });
}

/** Everything one email says, read when it is sent. */
export interface VoicemailEmailFacts {
  id: number;
  createdAt: number;
  attempts: number;
  recipient: { email: string; locale: string | null };
  company: { id: number; name: string; country: string; timeZone: string };
  call: { callId: number; from: string; startedAt: number; inboundNumber: string | null; transferredBy: string | null };
  numberLabel: string | null;
  recording: { storageKey: string; sizeBytes: number; durationMs: number };
}

export async function findVoicemailEmailFacts(db: Knex, id: number): Promise<VoicemailEmailFacts | undefined> {
  const row = await db("voicemail_emails as v")
    .join("users as u", "u.id", "v.user_id")
    .join("companies as c", "c.id", "v.company_id")
    .join("recordings as r", "r.id", "v.recording_id")
    .join("calls as k", "k.id", "r.call_id")
    .leftJoin("company_numbers as n", (j) => void j.on("n.company_id", "=", "v.company_id").andOn("n.number", "=", "k.inbound_number"))
    .where("v.id", id)
    .first<
      | {
          created_at: number | string;
          company_id: number | string;
          attempts: number | string;
          email: string;
          locale: string | null;
          company_name: string;
          country: string;
          time_zone: string;
          call_id: number | string;
          from_number: string;
          started_at: number | string;
          inbound_number: string | null;
          transferred_by: string | null;
          label: string | null;
          storage_key: string;
          size_bytes: number | string;
          duration_ms: number | string;
        }
      | undefined
    >(
      "v.created_at",
      "v.company_id",
      "v.attempts",
      "u.email",
      "u.locale",
      "c.name as company_name",
      "c.country",
      "c.time_zone",
      "k.id as call_id",
      "k.number as from_number",
      "k.started_at",
      "k.inbound_number",
      "k.transferred_by",
      "n.label",
      "r.storage_key",
      "r.size_bytes",
      "r.duration_ms",
    );
  if (row === undefined) return undefined;
  return {
    id,
    createdAt: toInt(row.created_at),
    attempts: toInt(row.attempts),
    recipient: { email: row.email, locale: row.locale },
    company: { id: toInt(row.company_id), name: row.company_name, country: row.country, timeZone: row.time_zone },
    call: { callId: toInt(row.call_id), from: row.from_number, startedAt: toInt(row.started_at), inboundNumber: row.inbound_number, transferredBy: row.transferred_by },
    numberLabel: row.label === null || row.label === "" ? null : row.label,
    recording: { storageKey: row.storage_key, sizeBytes: toInt(row.size_bytes), durationMs: toInt(row.duration_ms) },
  };
}

/** The name of the company's person (else organization) with this number, if any. */
export async function contactNameOf(db: Knex, companyId: number, number: string): Promise<string | null> {
  if (number === "") return null;
  const person = await db("crm_phones as p").join("crm_people as x", "x.id", "p.owner_id").where({ "p.company_id": companyId, "p.number": number, "p.owner_kind": "person" }).orderBy("x.id").first<{ name: string } | undefined>("x.name");
  if (person !== undefined) return person.name;
  const org = await db("crm_phones as p").join("crm_organizations as x", "x.id", "p.owner_id").where({ "p.company_id": companyId, "p.number": number, "p.owner_kind": "organization" }).orderBy("x.id").first<{ name: string } | undefined>("x.name");
  return org?.name ?? null;
}

export async function getVoicemailEmailSetting(db: Knex, userId: number): Promise<boolean> {
  const row = await db("users").where({ id: userId }).first<{ voicemail_email: boolean | number } | undefined>("voicemail_email");
  return row === undefined ? true : toBool(row.voicemail_email);
}

export async function setVoicemailEmailSetting(db: Knex, userId: number, on: boolean): Promise<void> {
  await db("users").where({ id: userId }).update({ voicemail_email: on });
}
