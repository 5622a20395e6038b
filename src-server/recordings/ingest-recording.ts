import { createHash } from "node:crypto";
import type { Knex } from "knex";
import { CallerError } from "../../src-shared/errors";
import { appendChange } from "../db/changes-repo";
import { findCallForUpdate, toHistoryCall } from "../db/calls-repo";
import { toInt } from "../db/row-values";
import { computePeaks } from "./peaks";
import { loadAudio, type RecordingSource } from "./pbx-recording-files";
import type { SpoolIngest } from "./recording-ingest-service";
import { recordingKey, type RecordingStorage } from "./recording-storage";
import { findRecordingOfCall, insertRecording, type RecordingRecord } from "./recordings-repo";
import { decodeWav, durationMs, encodeWav16, type PcmAudio } from "./wav-audio";
import { enqueueVoicemailEmails } from "../voicemail-mail/voicemail-recipients";

export type { RecordingSource } from "./pbx-recording-files";

export type IngestResult =
  | { status: "ingested"; recording: RecordingRecord }
  | { status: "exists"; recording: RecordingRecord }
  | { status: "no_call" }
  /** The call has no final CDR yet: MixMonitor may still be writing. */
  | { status: "not_ended" };

/** The call a recording belongs to, as both sources find it (MixMonitor by uniqueid, an upload by the owner's client call id). */
export interface RecordedCall {
  id: number;
  companyId: number;
  userId: number;
  pbxUniqueid: string;
  status: string;
}

/** Why a call cannot take a recording now: it has one (a replay), or it has not ended (MixMonitor may still be writing, no CDR yet). */
export async function recordingBlocker(db: Knex, call: RecordedCall): Promise<Extract<IngestResult, { status: "exists" | "not_ended" }> | null> {
  if (call.status === "authorized") return { status: "not_ended" };
  const existing = await findRecordingOfCall(db, call.id);
  return existing === undefined ? null : { status: "exists", recording: existing };
}

/**
 * The one way a recording lands, from either source: `bytes` (the WAV as it will be served, already
 * checked and decoded into `audio`) stored under its sha256, then the row with duration and peaks and
 * the call's change-feed upsert in one transaction. Idempotent: the storage key is the content's
 * sha256, so a retry after a crash between the store and the row writes the same object again, and a
 * call that has its recording keeps it.
 */
export async function storeCallRecording(db: Knex, storage: RecordingStorage, call: RecordedCall, audio: PcmAudio, bytes: Buffer, now: number): Promise<IngestResult> {
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const storageKey = recordingKey(call.companyId, sha256);
  await storage.put(storageKey, bytes);

  return db.transaction(async (trx): Promise<IngestResult> => {
    const { record, created } = await insertRecording(trx, {
      companyId: call.companyId,
      callId: call.id,
      userId: call.userId,
      sha256,
      durationMs: durationMs(audio),
      channels: audio.channels.length,
      sampleRate: audio.sampleRate,
      sizeBytes: bytes.length,
      peaks: computePeaks(audio.channels),
      storageKey,
      createdAt: now,
    });
    if (!created) return { status: "exists", recording: record };
    // In this transaction, so the email is queued exactly when the recording first lands; sending is the outbox's job.
    await enqueueVoicemailEmails(trx, record, now);
    const stored = await findCallForUpdate(trx, call.pbxUniqueid);
    if (stored !== undefined) {
      await appendChange(trx, {
        companyId: call.companyId,
        audienceUserId: stored.userId,
        entity: "call",
        entityId: String(stored.id),
        op: "upsert",
        data: toHistoryCall(stored, String(record.id)),
        at: now,
      });
    }
    return { status: "ingested", recording: record };
  });
}

async function findPbxCall(db: Knex, uniqueid: string): Promise<RecordedCall | undefined> {
  const row = await db("calls").where({ pbx_uniqueid: uniqueid }).first<{ id: number | string; company_id: number | string; user_id: number | string; status: string } | undefined>("id", "company_id", "user_id", "status");
  return row === undefined ? undefined : { id: toInt(row.id), companyId: toInt(row.company_id), userId: toInt(row.user_id), pbxUniqueid: uniqueid, status: row.status };
}

/** Whether the PBX call `uniqueid` can take its recording now; null: yes. */
export async function pbxRecordingBlocker(db: Knex, uniqueid: string): Promise<Exclude<IngestResult, { status: "ingested" }> | null> {
  const call = await findPbxCall(db, uniqueid);
  return call === undefined ? { status: "no_call" } : recordingBlocker(db, call);
}

/** MixMonitor's files for one call, read from disk: checked, made into one WAV (`pbxRecordingWav`'s) and stored. Their files are not read when the call has its recording. */
export async function ingestRecording(db: Knex, storage: RecordingStorage, source: RecordingSource, now: number): Promise<IngestResult> {
  const call = await findPbxCall(db, source.uniqueid);
  if (call === undefined) return { status: "no_call" };
  const blocker = await recordingBlocker(db, call);
  if (blocker !== null) return blocker;
  const audio = await loadAudio(source);
  return storeCallRecording(db, storage, call, audio, encodeWav16(audio), now);
}

/** The single-box path: the server itself ingests the files from the spool it shares with Asterisk. */
export function ingestFromSpool(db: Knex, storage: RecordingStorage, now: () => number): SpoolIngest {
  return async (source) => {
    const result = await ingestRecording(db, storage, source, now());
    if (result.status === "no_call" || result.status === "not_ended") return result;
    return { status: result.status, recordingId: result.recording.id, durationMs: result.recording.durationMs };
  };
}

/**
 * A PBX recording that reached the server over HTTP (the shipper beside an Asterisk that shares no
 * disk with the server): `bytes` are `pbxRecordingWav`'s file, checked against the sha256 the
 * shipper declared, then decoded and stored through `storeCallRecording` like any other.
 */
export async function ingestShippedRecording(db: Knex, storage: RecordingStorage, uniqueid: string, bytes: Buffer, declaredSha256: string, now: number): Promise<IngestResult> {
  if (createHash("sha256").update(bytes).digest("hex") !== declaredSha256) throw new CallerError("bad_request", `The recording of ${uniqueid} does not match its sha256: send it again`);
  const call = await findPbxCall(db, uniqueid);
  if (call === undefined) return { status: "no_call" };
  const blocker = await recordingBlocker(db, call);
  if (blocker !== null) return blocker;
  const audio = decodeWav(bytes, `recording of ${uniqueid}`);
  return storeCallRecording(db, storage, call, audio, bytes, now);
}
