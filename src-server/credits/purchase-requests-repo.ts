import type { Knex } from "knex";
import type { PurchaseRequest, PurchaseRequestStatus } from "../../src-shared/server-api/operator";
import { toInt } from "../db/row-values";

interface RequestRow {
  id: number;
  company_id: number;
  user_id: number | null;
  amount_micros: number | string;
  idempotency_key: string;
  status: PurchaseRequestStatus;
  created_at: number | string;
  decided_at: number | string | null;
  decided_by: string | null;
  decision_note: string | null;
  purchase_id: number | null;
}

export interface PurchaseRequestRecord {
  id: number;
  companyId: number;
  userId: number | null;
  amountMicros: number;
  idempotencyKey: string;
  status: PurchaseRequestStatus;
  createdAt: number;
  decidedAt: number | null;
}

const toRecord = (row: RequestRow): PurchaseRequestRecord => ({
  id: toInt(row.id),
  companyId: toInt(row.company_id),
  userId: row.user_id === null ? null : toInt(row.user_id),
  amountMicros: toInt(row.amount_micros),
  idempotencyKey: row.idempotency_key,
  status: row.status,
  createdAt: toInt(row.created_at),
  decidedAt: row.decided_at === null ? null : toInt(row.decided_at),
});

export async function insertPurchaseRequest(trx: Knex.Transaction, request: { companyId: number; userId: number; amountMicros: number; idempotencyKey: string; createdAt: number }): Promise<PurchaseRequestRecord> {
  const [row] = await trx<RequestRow>("credit_purchase_requests")
    .insert({ company_id: request.companyId, user_id: request.userId, amount_micros: request.amountMicros, idempotency_key: request.idempotencyKey, status: "pending", created_at: request.createdAt })
    .returning("*");
  if (row === undefined) throw new Error("insert into credit_purchase_requests returned no row");
  return toRecord(row);
}

export async function findPurchaseRequestByKey(db: Knex, companyId: number, key: string): Promise<PurchaseRequestRecord | undefined> {
  const row = await db<RequestRow>("credit_purchase_requests").where({ company_id: companyId, idempotency_key: key }).first();
  return row === undefined ? undefined : toRecord(row);
}

export async function getPurchaseRequest(db: Knex, id: number): Promise<PurchaseRequestRecord | undefined> {
  const row = await db<RequestRow>("credit_purchase_requests").where({ id }).first();
  return row === undefined ? undefined : toRecord(row);
}

/** Moves a pending request to its decision; false when it was no longer pending (someone decided first). */
export async function decidePurchaseRequest(
  trx: Knex.Transaction,
  id: number,
  decision: { status: "approved" | "declined"; decidedAt: number; decidedBy: string; note: string | null },
): Promise<boolean> {
  const updated = await trx("credit_purchase_requests")
    .where({ id, status: "pending" })
    .update({ status: decision.status, decided_at: decision.decidedAt, decided_by: decision.decidedBy, decision_note: decision.note });
  return updated === 1;
}

export async function linkPurchase(trx: Knex.Transaction, id: number, purchaseId: number): Promise<void> {
  await trx("credit_purchase_requests").where({ id }).update({ purchase_id: purchaseId });
}

export async function pendingForCompany(db: Knex, companyId: number): Promise<PurchaseRequestRecord[]> {
  return (await db<RequestRow>("credit_purchase_requests").where({ company_id: companyId, status: "pending" }).orderBy("id")).map(toRecord);
}

export async function pendingCounts(db: Knex): Promise<Map<number, number>> {
  const rows = await db("credit_purchase_requests").where({ status: "pending" }).groupBy("company_id").select<{ company_id: number; n: number | string }[]>("company_id", db.raw("count(*) as n"));
  return new Map(rows.map((r) => [toInt(r.company_id), toInt(r.n)]));
}

/** For the operator: pending first (oldest first), then the latest decisions. */
export async function listPurchaseRequests(db: Knex, status: PurchaseRequestStatus | undefined, limit = 200): Promise<PurchaseRequest[]> {
  const query = db("credit_purchase_requests as r")
    .join("companies as c", "c.id", "r.company_id")
    .leftJoin("users as u", "u.id", "r.user_id")
    .leftJoin("credit_purchases as p", "p.id", "r.purchase_id")
    .orderByRaw("case when r.status = 'pending' then 0 else 1 end")
    .orderByRaw("case when r.status = 'pending' then r.id else -r.id end")
    .limit(limit)
    .select<(RequestRow & { company_name: string; user_name: string | null; reference: string | null })[]>("r.*", "c.name as company_name", "u.name as user_name", "p.reference as reference");
  if (status !== undefined) void query.where("r.status", status);
  return (await query).map((row) => ({
    id: toInt(row.id),
    companyId: toInt(row.company_id),
    companyName: row.company_name,
    amountMicros: toInt(row.amount_micros),
    requestedBy: row.user_name,
    status: row.status,
    createdAt: toInt(row.created_at),
    decidedAt: row.decided_at === null ? null : toInt(row.decided_at),
    decidedBy: row.decided_by,
    note: row.decision_note,
    reference: row.reference,
  }));
}
