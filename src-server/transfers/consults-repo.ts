import type { Knex } from "knex";
import { toInt } from "../db/row-values";

/** A consultation with a teammate the server allowed ([transfer-consult]): the user's channel and who it rings. */
export interface ConsultRecord {
  id: number;
  companyId: number;
  userId: number;
  toUserId: number;
  /** The first call, which the user consults about. */
  callId: number;
  clientCallId: string;
  pbxUniqueid: string;
  createdAt: number;
}

interface ConsultRow {
  id: number | string;
  company_id: number | string;
  user_id: number | string;
  to_user_id: number | string;
  call_id: number | string;
  client_call_id: string;
  pbx_uniqueid: string;
  created_at: number | string;
}

function toRecord(row: ConsultRow): ConsultRecord {
  return {
    id: toInt(row.id),
    companyId: toInt(row.company_id),
    userId: toInt(row.user_id),
    toUserId: toInt(row.to_user_id),
    callId: toInt(row.call_id),
    clientCallId: row.client_call_id,
    pbxUniqueid: row.pbx_uniqueid,
    createdAt: toInt(row.created_at),
  };
}

/** Idempotent on the channel: the PBX asking twice for one channel keeps the first answer. */
export async function insertConsult(db: Knex, consult: Omit<ConsultRecord, "id">): Promise<void> {
  await db("teammate_consults")
    .insert({
      company_id: consult.companyId,
      user_id: consult.userId,
      to_user_id: consult.toUserId,
      call_id: consult.callId,
      client_call_id: consult.clientCallId,
      pbx_uniqueid: consult.pbxUniqueid,
      created_at: consult.createdAt,
    })
    .onConflict("pbx_uniqueid")
    .ignore();
}

/** The user's latest consultation with this client call id. */
export async function findUserConsult(db: Knex, userId: number, clientCallId: string): Promise<ConsultRecord | undefined> {
  const row = await db<ConsultRow>("teammate_consults").where({ user_id: userId, client_call_id: clientCallId }).orderBy("id", "desc").first();
  return row === undefined ? undefined : toRecord(row);
}
