import type { Knex } from "knex";
import type { RecordingUpload, RecordingUploadState } from "../../../src-shared/api/areas/recorder";
import { nextUploadState, type UploadEvent } from "./upload-state";

/** Whose recording: only that user's session on that server uploads it. */
export interface UploadOwner {
  serverUrl: string;
  userId: number;
}

export interface LocalUpload extends UploadOwner {
  clientCallId: string;
  path: string;
  sampleRate: number;
  sha256: string | null;
  sizeBytes: number | null;
  uploadId: string | null;
  sentBytes: number;
  state: RecordingUploadState;
  error: string | null;
  attempts: number;
  startedAt: number;
}

interface Row {
  client_call_id: string;
  server_url: string;
  user_id: number;
  path: string;
  sample_rate: number;
  sha256: string | null;
  size_bytes: number | null;
  upload_id: string | null;
  sent_bytes: number;
  state: RecordingUploadState;
  error: string | null;
  attempts: number;
  started_at: number;
}

const table = "recording_uploads";

const toLocal = (row: Row): LocalUpload => ({
  clientCallId: row.client_call_id,
  serverUrl: row.server_url,
  userId: row.user_id,
  path: row.path,
  sampleRate: row.sample_rate,
  sha256: row.sha256,
  sizeBytes: row.size_bytes,
  uploadId: row.upload_id,
  sentBytes: row.sent_bytes,
  state: row.state,
  error: row.error,
  attempts: row.attempts,
  startedAt: row.started_at,
});

/** What the renderer sees. */
export const toRecordingUpload = (upload: LocalUpload): RecordingUpload => ({
  clientCallId: upload.clientCallId,
  state: upload.state,
  sentBytes: upload.sentBytes,
  totalBytes: upload.sizeBytes ?? 0,
  error: upload.error,
  startedAt: upload.startedAt,
});

export async function insertRecordingUpload(db: Knex, upload: Pick<LocalUpload, "clientCallId" | "serverUrl" | "userId" | "path" | "sampleRate" | "startedAt">): Promise<LocalUpload> {
  await db(table).insert({
    client_call_id: upload.clientCallId,
    server_url: upload.serverUrl,
    user_id: upload.userId,
    path: upload.path,
    sample_rate: upload.sampleRate,
    state: "recording",
    started_at: upload.startedAt,
  });
  return (await findRecordingUpload(db, upload.clientCallId))!;
}

export async function findRecordingUpload(db: Knex, clientCallId: string): Promise<LocalUpload | undefined> {
  const row = await db<Row>(table).where({ client_call_id: clientCallId }).first();
  return row === undefined ? undefined : toLocal(row);
}

export async function listRecordingUploads(db: Knex, filter: { states?: readonly RecordingUploadState[]; owner?: UploadOwner; limit?: number } = {}): Promise<LocalUpload[]> {
  const query = db<Row>(table).orderBy("started_at", "desc").limit(filter.limit ?? 500);
  if (filter.states !== undefined) void query.whereIn("state", filter.states);
  if (filter.owner !== undefined) void query.where({ server_url: filter.owner.serverUrl, user_id: filter.owner.userId });
  return (await query).map(toLocal);
}

type Fields = Partial<Pick<LocalUpload, "sha256" | "sizeBytes" | "uploadId" | "sentBytes" | "error" | "attempts">>;

const columnsOf = (fields: Fields): Partial<Row> => {
  const row: Partial<Row> = {};
  if (fields.sha256 !== undefined) row.sha256 = fields.sha256;
  if (fields.sizeBytes !== undefined) row.size_bytes = fields.sizeBytes;
  if (fields.uploadId !== undefined) row.upload_id = fields.uploadId;
  if (fields.sentBytes !== undefined) row.sent_bytes = fields.sentBytes;
  if (fields.error !== undefined) row.error = fields.error;
  if (fields.attempts !== undefined) row.attempts = fields.attempts;
  return row;
};

/** Moves the upload by `event` through the one transition function, with the fields that go with it. */
export async function transitionRecordingUpload(db: Knex, clientCallId: string, event: UploadEvent, fields: Fields = {}): Promise<LocalUpload> {
  return db.transaction(async (trx) => {
    const current = await findRecordingUpload(trx, clientCallId);
    if (current === undefined) throw new Error(`no recording upload ${clientCallId}`);
    const state = nextUploadState(current.state, event);
    await trx<Row>(table).where({ client_call_id: clientCallId }).update({ ...columnsOf(fields), state });
    return (await findRecordingUpload(trx, clientCallId))!;
  });
}

/** Fields that do not change the state (progress, the server's upload id). */
export async function updateRecordingUpload(db: Knex, clientCallId: string, fields: Fields): Promise<void> {
  await db<Row>(table).where({ client_call_id: clientCallId }).update(columnsOf(fields));
}

export async function deleteRecordingUpload(db: Knex, clientCallId: string): Promise<void> {
  await db<Row>(table).where({ client_call_id: clientCallId }).delete();
}

/** Finished uploads are listed for a while, then forgotten. */
export async function pruneDoneUploads(db: Knex, before: number): Promise<number> {
  return db<Row>(table).where({ state: "done" }).andWhere("started_at", "<", before).delete();
}
