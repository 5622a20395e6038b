import type { Knex } from "knex";
import { appendChange } from "../db/changes-repo";
import { findCallForUpdate, insertCall, toHistoryCall, updateCall, type CallRecord } from "../db/calls-repo";
import { dispositionOf, type CallFields } from "./call-fields";
import { linkForNewCall } from "../crm/call-links";

export type SaveOutcome = "created" | "updated" | "unchanged" | "ignored";

const compared: readonly (keyof CallFields)[] = [
  "userId", "clientCallId", "number", "status", "startedAt", "answeredAt", "endedAt", "billedSeconds",
  "dialStatus", "cdrDisposition", "hangupCause", "refusalReason", "liveAnsweredAt", "interrupted",
];

function sameCall(record: CallRecord, next: CallFields): boolean {
  return compared.every((key) => record[key] === next[key]) && record.disposition === dispositionOf(next);
}

async function announce(trx: Knex.Transaction, record: CallRecord, now: number): Promise<void> {
  await appendChange(trx, {
    companyId: record.companyId,
    audienceUserId: record.userId,
    entity: "call",
    entityId: String(record.id),
    op: "upsert",
    data: toHistoryCall(record),
    at: now,
  });
}

/**
 * The call moved to another user (an inbound call answered by a ring group's
 * second member): the first owner's app drops its copy. Admins get the upsert
 * that follows, so they are left out of the delete.
 */
async function withdraw(trx: Knex.Transaction, previous: CallRecord, now: number): Promise<void> {
  await appendChange(trx, { companyId: previous.companyId, audienceUserId: previous.userId, audienceAdmins: false, entity: "call", entityId: String(previous.id), op: "delete", data: null, at: now });
}

/** A new call belongs to the contact/deal the app dialed it from, else to the person with its number. */
async function linkNewCall(trx: Knex.Transaction, record: CallRecord): Promise<CallRecord> {
  const link = await linkForNewCall(trx, record);
  if (link.contact_id === null && link.deal_id === null) return record;
  await trx("calls").where({ id: record.id }).update(link);
  return { ...record, contactId: link.contact_id, contactName: link.contact_name, dealId: link.deal_id, dealTitle: link.deal_title };
}

/**
 * Inside `trx`: reads the call of `pbxUniqueid` (locked), lets `change` compute
 * its next fields (null: leave it alone), and writes only a real change, each
 * with a `call` change for its user. Repeating the same change is a no-op.
 */
export async function saveCall(
  trx: Knex.Transaction,
  pbxUniqueid: string,
  change: (existing: CallRecord | undefined) => CallFields | null,
  now: number,
): Promise<{ outcome: SaveOutcome; record: CallRecord | undefined }> {
  let existing = await findCallForUpdate(trx, pbxUniqueid);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const next = change(existing);
    if (next === null) return { outcome: "ignored", record: existing };
    if (existing !== undefined) {
      if (sameCall(existing, next)) return { outcome: "unchanged", record: existing };
      const updated = await updateCall(trx, existing.id, next, now);
      if (updated.userId !== existing.userId) await withdraw(trx, existing, now);
      await announce(trx, updated, now);
      return { outcome: "updated", record: updated };
    }
    const inserted = await insertCall(trx, next, now);
    if (inserted !== undefined) {
      const linked = await linkNewCall(trx, inserted);
      await announce(trx, linked, now);
      return { outcome: "created", record: linked };
    }
    // Another transaction inserted it first (PostgreSQL): merge into theirs.
    existing = await findCallForUpdate(trx, pbxUniqueid);
  }
  throw new Error(`call ${pbxUniqueid} could be neither inserted nor read`);
}

/**
 * Inside `trx`: the record of `pbxUniqueid` made in advance of a PBX action
 * that then failed (a transfer's leg for the teammate) goes, and every app
 * holding it (its user's, the admins') drops its copy. Only the record made
 * for `clientCallId`: any other under that uniqueid stays. No-op when there is none.
 */
export async function withdrawCall(trx: Knex.Transaction, pbxUniqueid: string, clientCallId: string, now: number): Promise<void> {
  const record = await findCallForUpdate(trx, pbxUniqueid);
  if (record?.clientCallId !== clientCallId) return;
  await trx("calls").where({ id: record.id }).delete();
  await appendChange(trx, { companyId: record.companyId, audienceUserId: record.userId, entity: "call", entityId: String(record.id), op: "delete", data: null, at: now });
}
