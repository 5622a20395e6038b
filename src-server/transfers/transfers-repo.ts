import type { Knex } from "knex";
import type { TransferMode } from "../../src-shared/server-api/transfers";
import { toInt } from "../db/row-values";

export interface TransferRecord {
  id: number;
  callId: number;
  companyId: number;
  userId: number;
  mode: TransferMode;
  toNumber: string;
  /** A teammate's transfer: the user it rang (toNumber then empty). */
  toUserId: number | null;
  legClientCallId: string;
  farUniqueid: string | null;
  legUniqueid: string | null;
  carriedUntil: number | null;
  createdAt: number;
}

interface TransferRow {
  id: number | string;
  call_id: number | string;
  company_id: number | string;
  user_id: number | string;
  mode: string;
  to_number: string;
  to_user_id: number | string | null;
  leg_client_call_id: string;
  far_uniqueid: string | null;
  leg_uniqueid: string | null;
  carried_until: number | string | null;
  created_at: number | string;
}

function toRecord(row: TransferRow): TransferRecord {
  return {
    id: toInt(row.id),
    callId: toInt(row.call_id),
    companyId: toInt(row.company_id),
    userId: toInt(row.user_id),
    mode: row.mode === "attended" ? "attended" : "blind",
    toNumber: row.to_number,
    toUserId: row.to_user_id === null ? null : toInt(row.to_user_id),
    legClientCallId: row.leg_client_call_id,
    farUniqueid: row.far_uniqueid,
    legUniqueid: row.leg_uniqueid,
    carriedUntil: row.carried_until === null ? null : toInt(row.carried_until),
    createdAt: toInt(row.created_at),
  };
}

export type NewTransfer = Omit<TransferRecord, "id" | "createdAt" | "carriedUntil">;

/** Undefined when the call already has a transfer (one per call). */
export async function insertTransfer(db: Knex, transfer: NewTransfer, now: number): Promise<TransferRecord | undefined> {
  const rows = await db<TransferRow>("call_transfers")
    .insert({
      call_id: transfer.callId,
      company_id: transfer.companyId,
      user_id: transfer.userId,
      mode: transfer.mode,
      to_number: transfer.toNumber,
      to_user_id: transfer.toUserId,
      leg_client_call_id: transfer.legClientCallId,
      far_uniqueid: transfer.farUniqueid,
      leg_uniqueid: transfer.legUniqueid,
      created_at: now,
    })
    .onConflict("call_id")
    .ignore()
    .returning("*");
  return rows[0] === undefined ? undefined : toRecord(rows[0]);
}

export async function deleteTransfer(db: Knex, id: number): Promise<void> {
  await db("call_transfers").where({ id }).delete();
}

/** The user's transfers, by the id of the call they transferred. */
export async function listUserTransfers(db: Knex, userId: number): Promise<TransferRecord[]> {
  return (await db<TransferRow>("call_transfers").where({ user_id: userId }).orderBy("id")).map(toRecord);
}

/** The attended transfer whose first call's far channel has this uniqueid. */
export async function findTransferByFarUniqueid(trx: Knex.Transaction, farUniqueid: string): Promise<TransferRecord | undefined> {
  const row = await trx<TransferRow>("call_transfers").where({ far_uniqueid: farUniqueid }).first();
  return row === undefined ? undefined : toRecord(row);
}

/** The latest end of bridged talk noted for the leg with this uniqueid; null when none. */
export async function carriedUntilOfLeg(trx: Knex.Transaction, legUniqueid: string): Promise<number | null> {
  const row = await trx<TransferRow>("call_transfers").where({ leg_uniqueid: legUniqueid }).whereNotNull("carried_until").first("carried_until");
  return row?.carried_until == null ? null : toInt(row.carried_until);
}

/** The latest end seen of the bridged talk (a max: CDRs may repeat or come out of order). */
export async function noteCarriedUntil(trx: Knex.Transaction, id: number, endMs: number): Promise<void> {
  await trx("call_transfers")
    .where({ id })
    .andWhere((q) => void q.whereNull("carried_until").orWhere("carried_until", "<", endMs))
    .update({ carried_until: endMs });
}

/** A transfer with the names history shows, and the calls on either end of it (null: no record of that call). */
export interface ChainRow {
  transfer: TransferRecord;
  byName: string;
  toName: string | null;
  fromCall: { id: number; userId: number };
  legCall: { id: number; userId: number } | null;
}

interface ChainQueryRow extends TransferRow {
  by_name: string;
  to_name: string | null;
  from_user_id: number | string;
  leg_call_id: number | string | null;
  leg_user_id: number | string | null;
}

/** The company's transfers this call is part of: as the call transferred, or as the leg that carried one on. */
export async function listCallChain(db: Knex, companyId: number, callId: number): Promise<ChainRow[]> {
  const rows = await db("call_transfers as t")
    .join("users as by", "by.id", "t.user_id")
    .join("calls as f", "f.id", "t.call_id")
    .leftJoin("users as to", "to.id", "t.to_user_id")
    .leftJoin("calls as l", function () {
      this.on("l.client_call_id", "=", "t.leg_client_call_id").andOn("l.company_id", "=", "t.company_id");
    })
    .where("t.company_id", companyId)
    .andWhere((q) => {
      void q.where("t.call_id", callId).orWhereIn("t.leg_client_call_id", db("calls").where({ id: callId }).whereNotNull("client_call_id").select("client_call_id"));
    })
    .orderBy("t.id")
    .select<ChainQueryRow[]>("t.*", "by.name as by_name", "to.name as to_name", "f.user_id as from_user_id", "l.id as leg_call_id", "l.user_id as leg_user_id");
  return rows.map((row) => ({
    transfer: toRecord(row),
    byName: row.by_name,
    toName: row.to_name,
    fromCall: { id: toInt(row.call_id), userId: toInt(row.from_user_id) },
    legCall: row.leg_call_id === null || row.leg_user_id === null ? null : { id: toInt(row.leg_call_id), userId: toInt(row.leg_user_id) },
  }));
}

/** A transfer by its leg's id, with what the teammate's record of the leg shows: the call's number and direction, who transferred. */
export interface LegTransfer {
  transfer: TransferRecord;
  number: string;
  direction: string;
  byName: string;
}

export async function findLegTransfer(db: Knex, legClientCallId: string): Promise<LegTransfer | undefined> {
  const row = await db("call_transfers as t")
    .join("calls as c", "c.id", "t.call_id")
    .join("users as by", "by.id", "t.user_id")
    .where("t.leg_client_call_id", legClientCallId)
    .first<(TransferRow & { number: string; direction: string; by_name: string }) | undefined>("t.*", "c.number as number", "c.direction as direction", "by.name as by_name");
  return row === undefined ? undefined : { transfer: toRecord(row), number: row.number, direction: row.direction, byName: row.by_name };
}
