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

/** An unfinished upload as the sweep sees it: its offset and when it last moved. */
export interface PendingUpload {
  id: number;
  receivedBytes: number;
  updatedAt: number;
}

/** Uploads not completed, oldest first; with `movedBefore`, only those untouched since then. */
export async function listPendingUploads(db: Knex, movedBefore?: number): Promise<PendingUpload[]> {
  const query = db("recording_uploads").whereNull("recording_id");
  if (movedBefore !== undefined) query.where("updated_at", "<", movedBefore);
  const rows = await query.orderBy("updated_at").select<{ id: number | string; received_bytes: number | string; updated_at: number | string }[]>("id", "received_bytes", "updated_at");
  return rows.map((row) => ({ id: toInt(row.id), receivedBytes: toInt(row.received_bytes), updatedAt: toInt(row.updated_at) }));
}

/** True while the upload is unfinished and untouched since `movedBefore`. */
export async function isAbandonedUpload(db: Knex, id: number, movedBefore: number): Promise<boolean> {
  return (await db("recording_uploads").where({ id }).whereNull("recording_id").where("updated_at", "<", movedBefore).first("id")) !== undefined;
}

/** Deletes an upload only while it is still unfinished and untouched since `movedBefore`; false when it came back to life. */
export async function deleteAbandonedUpload(db: Knex, id: number, movedBefore: number): Promise<boolean> {
  return (await db("recording_uploads").where({ id }).whereNull("recording_id").where("updated_at", "<", movedBefore).delete()) === 1;
}

/** Back to 0 only if the upload is still exactly as `seen` (no request moved it meanwhile). */
export async function restartUploadAsSeen(db: Knex, seen: PendingUpload, now: number): Promise<boolean> {
  const changed = await db("recording_uploads")
    .where({ id: seen.id, received_bytes: seen.receivedBytes, updated_at: seen.updatedAt })
    .whereNull("recording_id")
    .update({ received_bytes: 0, updated_at: now });
  return changed === 1;
}

/** Which of these ids still have an upload row (any state). */
export async function existingUploadIds(db: Knex, ids: readonly number[]): Promise<Set<number>> {
  const found = new Set<number>();
  // Batches keep each statement under SQLite's bound-parameter limit.
  for (let at = 0; at < ids.length; at += 500) {
    const rows = await db("recording_uploads").whereIn("id", ids.slice(at, at + 500)).select<{ id: number | string }[]>("id");
    for (const row of rows) found.add(toInt(row.id));
  }
  return found;
}
