import type { Knex } from "knex";
import { BillingDetails } from "../../src-shared/server-api/credits";

export async function readBillingDetails(db: Knex, companyId: number): Promise<BillingDetails | null> {
  const row = await db<{ company_id: number; details_json: string }>("billing_details").where({ company_id: companyId }).first();
  if (row === undefined) return null;
  const parsed = BillingDetails.safeParse(JSON.parse(row.details_json));
  return parsed.success ? parsed.data : null;
}

export async function saveBillingDetails(db: Knex, companyId: number, details: BillingDetails, now: number): Promise<void> {
  const details_json = JSON.stringify(details);
  await db("billing_details").insert({ company_id: companyId, details_json, updated_at: now }).onConflict("company_id").merge(["details_json", "updated_at"]);
}
