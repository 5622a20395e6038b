import type { Knex } from "knex";
import { BillingDetails, type PurchaseListItem } from "../../src-shared/server-api/credits";
import { toInt } from "../db/row-values";

interface ListedRow {
  id: number;
  amount_micros: number | string;
  reference: string;
  status: "invoiced" | "paid";
  created_at: number | string;
  billing_json: string;
  user_name: string | null;
}

function billedTo(json: string): BillingDetails | null {
  const parsed = BillingDetails.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : null;
}

const toItem = (row: ListedRow): PurchaseListItem => ({
  id: String(row.id),
  amountMicros: toInt(row.amount_micros),
  reference: row.reference,
  status: row.status,
  createdAt: toInt(row.created_at),
  boughtBy: row.user_name,
  billedTo: billedTo(row.billing_json),
});

const purchasesOf = (db: Knex, companyId: number) =>
  db("credit_purchases as p")
    .leftJoin("users as u", function joinBuyer() {
      this.on("u.id", "=", "p.user_id").andOn("u.company_id", "=", "p.company_id");
    })
    .where("p.company_id", companyId)
    .select<ListedRow[]>("p.id", "p.amount_micros", "p.reference", "p.status", "p.created_at", "p.billing_json", "u.name as user_name");

/** The company's purchases, newest first (a page: the list is for reading, the ledger has everything). */
export async function listPurchaseItems(db: Knex, companyId: number, limit = 100): Promise<PurchaseListItem[]> {
  return (await purchasesOf(db, companyId).orderBy("p.id", "desc").limit(limit)).map(toItem);
}

/** One purchase of this company (with the billing details copied at the time); undefined for another company's (its id says nothing to this one). */
export async function findPurchaseItem(db: Knex, companyId: number, purchaseId: number): Promise<PurchaseListItem | undefined> {
  const row = await purchasesOf(db, companyId).andWhere("p.id", purchaseId).first();
  return row === undefined ? undefined : toItem(row);
}
