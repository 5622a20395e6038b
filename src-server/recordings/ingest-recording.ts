import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { Knex } from "knex";
import { CallerError } from "../../src-shared/errors";
import { appendChange } from "../db/changes-repo";
import { findCallForUpdate, toHistoryCall } from "../db/calls-repo";
import { toInt } from "../db/row-values";
import { computePeaks } from "./peaks";
import { recordingKey, type RecordingStorage } from "./recording-storage";
import { findRecordingOfCall, insertRecording, type RecordingRecord } from "./recordings-repo";
import { decodeWav, durationMs, encodeWav16, twoChannel, type PcmAudio } from "./wav-audio";

/** What MixMonitor left for one call: the user's side (r), the other party's (t), and the mix. */
export interface RecordingSource {
  uniqueid: string;
  user?: string;
  other?: string;
  mix?: string;
}

export type IngestResult =
  | { status: "ingested"; recording: RecordingRecord }
  | { status: "exists"; recording: RecordingRecord }
  | { status: "no_call" }
  /** The call has no final CDR yet: MixMonitor may still be writing. */
  | { status: "not_ended" };

async function decodeFile(path: string): Promise<PcmAudio> {
  return decodeWav(await readFile(path), basename(path));
}

/** Two channels from the r()/t() pair; the mix alone (mono) only when the pair is missing. */
async function loadAudio(source: RecordingSource): Promise<PcmAudio> {
  if (source.user !== undefined && source.other !== undefined) return twoChannel(await decodeFile(source.user), await decodeFile(source.other));
  if (source.mix !== undefined) return decodeFile(source.mix);
  throw new CallerError("bad_request", `No recording files for call ${source.uniqueid}`);
}

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

/** MixMonitor's files for one call: checked, mixed to two channels when both sides are there, and stored. Their files are not read when the call has its recording. */
export async function ingestRecording(db: Knex, storage: RecordingStorage, source: RecordingSource, now: number): Promise<IngestResult> {
  const row = await db("calls").where({ pbx_uniqueid: source.uniqueid }).first<{ id: number | string; company_id: number | string; user_id: number | string; status: string } | undefined>("id", "company_id", "user_id", "status");
  if (row === undefined) return { status: "no_call" };
  const call: RecordedCall = { id: toInt(row.id), companyId: toInt(row.company_id), userId: toInt(row.user_id), pbxUniqueid: source.uniqueid, status: row.status };
  const blocker = await recordingBlocker(db, call);
  if (blocker !== null) return blocker;
  const audio = await loadAudio(source);
  return storeCallRecording(db, storage, call, audio, encodeWav16(audio), now);
}
