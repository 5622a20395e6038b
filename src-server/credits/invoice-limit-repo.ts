import type { Knex } from "knex";
import { toInt } from "../db/row-values";

export async function readInvoiceLimit(db: Knex, companyId: number): Promise<number | null> {
  const row = await db<{ company_id: number; invoice_limit_micros: number | string | null }>("credit_settings").where({ company_id: companyId }).first();
  return row?.invoice_limit_micros == null ? null : toInt(row.invoice_limit_micros);
}

export async function readInvoiceLimits(db: Knex): Promise<Map<number, number>> {
  const rows = await db("credit_settings").whereNotNull("invoice_limit_micros").select<{ company_id: number; invoice_limit_micros: number | string }[]>("company_id", "invoice_limit_micros");
  return new Map(rows.map((r) => [toInt(r.company_id), toInt(r.invoice_limit_micros)]));
}

/** null: back to the service default. */
export async function saveInvoiceLimit(db: Knex, companyId: number, limitMicros: number | null): Promise<void> {
  await db("credit_settings").insert({ company_id: companyId, invoice_limit_micros: limitMicros }).onConflict("company_id").merge(["invoice_limit_micros"]);
}

/** Purchases through this provider posted in [from, to). */
export async function purchasedBetween(db: Knex, companyId: number, provider: string, from: number, to: number): Promise<number> {
  const [row] = await db("credit_purchases")
    .where({ company_id: companyId, provider })
    .where("created_at", ">=", from)
    .where("created_at", "<", to)
    .sum<{ total: number | string | null }[]>({ total: "amount_micros" });
  return row?.total == null ? 0 : toInt(row.total);
}
