import type { Knex } from "knex";
import { RecordingPeaks } from "../../src-shared/server-api/recordings";
import { toInt } from "../db/row-values";

export interface RecordingRecord {
  id: number;
  companyId: number;
  callId: number;
  userId: number;
  sha256: string;
  durationMs: number;
  channels: number;
  sampleRate: number;
  sizeBytes: number;
  peaks: RecordingPeaks;
  storageKey: string;
  createdAt: number;
}

export type NewRecording = Omit<RecordingRecord, "id">;

interface RecordingRow {
  id: number;
  company_id: number;
  call_id: number;
  user_id: number;
  sha256: string;
  duration_ms: number | string;
  channels: number;
  sample_rate: number;
  size_bytes: number | string;
  peaks_json: string;
  storage_key: string;
  created_at: number | string;
}

function toRecord(row: RecordingRow): RecordingRecord {
  const peaks = RecordingPeaks.safeParse(JSON.parse(row.peaks_json));
  return {
    id: toInt(row.id),
    companyId: toInt(row.company_id),
    callId: toInt(row.call_id),
    userId: toInt(row.user_id),
    sha256: row.sha256,
    durationMs: toInt(row.duration_ms),
    channels: toInt(row.channels),
    sampleRate: toInt(row.sample_rate),
    sizeBytes: toInt(row.size_bytes),
    peaks: peaks.success ? peaks.data : [],
    storageKey: row.storage_key,
    createdAt: toInt(row.created_at),
  };
}

/** Inserts unless the call has its recording already; returns the call's recording and whether this insert made it. */
export async function insertRecording(db: Knex, recording: NewRecording): Promise<{ record: RecordingRecord; created: boolean }> {
  const rows = await db<RecordingRow>("recordings")
    .insert({
      company_id: recording.companyId,
      call_id: recording.callId,
      user_id: recording.userId,
      sha256: recording.sha256,
      duration_ms: recording.durationMs,
      channels: recording.channels,
      sample_rate: recording.sampleRate,
      size_bytes: recording.sizeBytes,
      peaks_json: JSON.stringify(recording.peaks),
      storage_key: recording.storageKey,
      created_at: recording.createdAt,
    })
    .onConflict("call_id")
    .ignore()
    .returning("*");
  if (rows[0] !== undefined) return { record: toRecord(rows[0]), created: true };
  const existing = await findRecordingOfCall(db, recording.callId);
  if (existing === undefined) throw new Error(`recording of call ${recording.callId} neither inserted nor found`);
  return { record: existing, created: false };
}

export async function findRecording(db: Knex, id: number): Promise<RecordingRecord | undefined> {
  const row = await db<RecordingRow>("recordings").where({ id }).first();
  return row === undefined ? undefined : toRecord(row);
}

export async function findRecordingOfCall(db: Knex, callId: number): Promise<RecordingRecord | undefined> {
  const row = await db<RecordingRow>("recordings").where({ call_id: callId }).first();
  return row === undefined ? undefined : toRecord(row);
}

/** The recordings of these calls in the company, without their peaks (history lists many). */
export async function listRecordingsOfCalls(db: Knex, companyId: number, callIds: readonly number[]): Promise<Omit<RecordingRecord, "peaks">[]> {
  if (callIds.length === 0) return [];
  const rows = await db<RecordingRow>("recordings")
    .select("id", "company_id", "call_id", "user_id", "sha256", "duration_ms", "channels", "sample_rate", "size_bytes", "storage_key", "created_at")
    .where({ company_id: companyId })
    .whereIn("call_id", callIds);
  return rows.map((row) => {
    const { peaks: _peaks, ...rest } = toRecord({ ...row, peaks_json: "[]" });
    return rest;
  });
}

export type PauseAction = "pause" | "resume";

export async function logPause(db: Knex, entry: { callId: number; userId: number; action: PauseAction; at: number }): Promise<void> {
  await db("recording_pauses").insert({ call_id: entry.callId, user_id: entry.userId, action: entry.action, at: entry.at });
}

export async function listPauses(db: Knex, callId: number): Promise<{ action: PauseAction; at: number }[]> {
  const rows = await db("recording_pauses").where({ call_id: callId }).orderBy("id").select<{ action: PauseAction; at: number | string }[]>("action", "at");
  return rows.map((row) => ({ action: row.action, at: toInt(row.at) }));
}
