import type { Knex } from "knex";
import { toInt } from "../db/row-values";

/** A desktop recording on its way in: how big it says it is, its sha256, how much has arrived. */
export interface UploadRecord {
  id: number;
  companyId: number;
  userId: number;
  callId: number;
  sizeBytes: number;
  sha256: string;
  receivedBytes: number;
  /** Set once the upload became the call's recording (or found the one it had). */
  recordingId: number | null;
}

interface UploadRow {
  id: number | string;
  company_id: number | string;
  user_id: number | string;
  call_id: number | string;
  size_bytes: number | string;
  sha256: string;
  received_bytes: number | string;
  recording_id: number | string | null;
}

const toRecord = (row: UploadRow): UploadRecord => ({
  id: toInt(row.id),
  companyId: toInt(row.company_id),
  userId: toInt(row.user_id),
  callId: toInt(row.call_id),
  sizeBytes: toInt(row.size_bytes),
  sha256: row.sha256,
  receivedBytes: toInt(row.received_bytes),
  recordingId: row.recording_id === null ? null : toInt(row.recording_id),
});

export async function findUpload(db: Knex, id: number): Promise<UploadRecord | undefined> {
  const row = await db<UploadRow>("recording_uploads").where({ id }).first();
  return row === undefined ? undefined : toRecord(row);
}

export async function findUploadOfCall(db: Knex, callId: number): Promise<UploadRecord | undefined> {
  const row = await db<UploadRow>("recording_uploads").where({ call_id: callId }).first();
  return row === undefined ? undefined : toRecord(row);
}

/** The call's upload, made now unless it has one (two first tries racing both get the same row). */
export async function createUpload(db: Knex, upload: Omit<UploadRecord, "id" | "receivedBytes" | "recordingId">, now: number): Promise<UploadRecord> {
  await db("recording_uploads")
    .insert({ company_id: upload.companyId, user_id: upload.userId, call_id: upload.callId, size_bytes: upload.sizeBytes, sha256: upload.sha256, received_bytes: 0, created_at: now, updated_at: now })
    .onConflict("call_id")
    .ignore();
  const made = await findUploadOfCall(db, upload.callId);
  if (made === undefined) throw new Error(`upload of call ${upload.callId} neither inserted nor found`);
  return made;
}

/** Moves the offset; false when it is not at `from` any more (another request moved it). */
export async function moveReceived(db: Knex, id: number, from: number, to: number, now: number): Promise<boolean> {
  const changed = await db("recording_uploads").where({ id, received_bytes: from }).whereNull("recording_id").update({ received_bytes: to, updated_at: now });
  return changed === 1;
}

/** Back to nothing received; with `declared`, for a file the app now describes differently. */
export async function resetUpload(db: Knex, id: number, now: number, declared?: { sizeBytes: number; sha256: string }): Promise<void> {
  await db("recording_uploads")
    .where({ id })
    .whereNull("recording_id")
    .update({ received_bytes: 0, updated_at: now, ...(declared === undefined ? {} : { size_bytes: declared.sizeBytes, sha256: declared.sha256 }) });
}

export async function markUploadCompleted(db: Knex, id: number, recordingId: number, now: number): Promise<void> {
  await db("recording_uploads").where({ id }).update({ recording_id: recordingId, updated_at: now });
}
