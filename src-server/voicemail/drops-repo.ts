import type { Knex } from "knex";
import { toInt } from "../db/row-values";

export interface DropRecord {
  id: number;
  callId: number;
  companyId: number;
  userId: number;
  storageKey: string;
  greetingId: number | null;
  callUniqueid: string;
  farUniqueid: string;
  tokenExpiresAt: number;
  fetchedAt: number | null;
  playedUntil: number | null;
}

interface DropRow {
  id: number | string;
  call_id: number | string;
  company_id: number | string;
  user_id: number | string;
  storage_key: string;
  greeting_id: number | string | null;
  call_uniqueid: string;
  far_uniqueid: string;
  token_expires_at: number | string;
  fetched_at: number | string | null;
  played_until: number | string | null;
  token_hash: string;
  created_at: number | string;
}

const nullableInt = (value: number | string | null): number | null => (value === null ? null : toInt(value));

function toRecord(row: DropRow): DropRecord {
  return {
    id: toInt(row.id),
    callId: toInt(row.call_id),
    companyId: toInt(row.company_id),
    userId: toInt(row.user_id),
    storageKey: row.storage_key,
    greetingId: nullableInt(row.greeting_id),
    callUniqueid: row.call_uniqueid,
    farUniqueid: row.far_uniqueid,
    tokenExpiresAt: toInt(row.token_expires_at),
    fetchedAt: nullableInt(row.fetched_at),
    playedUntil: nullableInt(row.played_until),
  };
}

export type NewDrop = Omit<DropRecord, "id" | "fetchedAt" | "playedUntil"> & { tokenHash: string };

/** Undefined when the call already has a drop (one per call). */
export async function insertDrop(trx: Knex.Transaction, drop: NewDrop, now: number): Promise<DropRecord | undefined> {
  const rows = await trx<DropRow>("voicemail_drops")
    .insert({
      call_id: drop.callId,
      company_id: drop.companyId,
      user_id: drop.userId,
      storage_key: drop.storageKey,
      greeting_id: drop.greetingId,
      call_uniqueid: drop.callUniqueid,
      far_uniqueid: drop.farUniqueid,
      token_hash: drop.tokenHash,
      token_expires_at: drop.tokenExpiresAt,
      created_at: now,
    })
    .onConflict("call_id")
    .ignore()
    .returning("*");
  return rows[0] === undefined ? undefined : toRecord(rows[0]);
}

export async function deleteDrop(db: Knex, id: number): Promise<void> {
  await db("voicemail_drops").where({ id }).delete();
}

/** Claims the token once: the drop it names when unexpired and never fetched before, else undefined. */
export async function claimDropToken(db: Knex, tokenHash: string, now: number): Promise<DropRecord | undefined> {
  return db.transaction(async (trx) => {
    const claimed = await trx("voicemail_drops").where({ token_hash: tokenHash }).whereNull("fetched_at").andWhere("token_expires_at", ">", now).update({ fetched_at: now });
    if (claimed !== 1) return undefined;
    const row = await trx<DropRow>("voicemail_drops").where({ token_hash: tokenHash }).first();
    return row === undefined ? undefined : toRecord(row);
  });
}

export async function findDropByFarUniqueid(trx: Knex.Transaction, farUniqueid: string): Promise<DropRecord | undefined> {
  const row = await trx<DropRow>("voicemail_drops").where({ far_uniqueid: farUniqueid }).first();
  return row === undefined ? undefined : toRecord(row);
}

export async function findDropByCallUniqueid(trx: Knex.Transaction, callUniqueid: string): Promise<DropRecord | undefined> {
  const row = await trx<DropRow>("voicemail_drops").where({ call_uniqueid: callUniqueid }).first();
  return row === undefined ? undefined : toRecord(row);
}

/** The latest end seen of the greeting's playback (a max: CDRs may repeat or come out of order). */
export async function notePlayedUntil(trx: Knex.Transaction, id: number, endMs: number): Promise<void> {
  await trx("voicemail_drops")
    .where({ id })
    .andWhere((q) => void q.whereNull("played_until").orWhere("played_until", "<", endMs))
    .update({ played_until: endMs });
}
