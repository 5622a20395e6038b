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

/**
 * Checks, stores and links one call's recording. Idempotent: a call that has
 * its recording already is left alone (its files are not even read), and the
 * storage key is the content's sha256, so a retry after a crash between the
 * store and the row writes the same object again.
 */
export async function ingestRecording(db: Knex, storage: RecordingStorage, source: RecordingSource, now: number): Promise<IngestResult> {
  const call = await db("calls").where({ pbx_uniqueid: source.uniqueid }).first<{ id: number | string; company_id: number | string; user_id: number | string; status: string } | undefined>("id", "company_id", "user_id", "status");
  if (call === undefined) return { status: "no_call" };
  if (call.status === "authorized") return { status: "not_ended" };
  const callId = toInt(call.id);
  const existing = await findRecordingOfCall(db, callId);
  if (existing !== undefined) return { status: "exists", recording: existing };

  const audio = await loadAudio(source);
  const bytes = encodeWav16(audio);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const companyId = toInt(call.company_id);
  const storageKey = recordingKey(companyId, sha256);
  await storage.put(storageKey, bytes);

  return db.transaction(async (trx): Promise<IngestResult> => {
    const { record, created } = await insertRecording(trx, {
      companyId,
      callId,
      userId: toInt(call.user_id),
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
    const stored = await findCallForUpdate(trx, source.uniqueid);
    if (stored !== undefined) {
      await appendChange(trx, {
        companyId,
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
