import type { Knex } from "knex";
import { appendChange, appendChanges } from "../db/changes-repo";

export type CrmEntity = "person" | "organization" | "deal";

/** Every CRM write tells the whole company through the change feed, inside the write's transaction. */
export async function announceCrm(trx: Knex.Transaction, companyId: number, entity: CrmEntity, entityId: string, data: unknown, now: number): Promise<void> {
  await appendChange(trx, { companyId, audienceUserId: null, entity, entityId, op: "upsert", data, at: now });
}

/** `announceCrm` for many rows of one entity written together (imports). */
export async function announceCrmMany(trx: Knex.Transaction, companyId: number, entity: CrmEntity, rows: readonly { id: string }[], now: number): Promise<void> {
  await appendChanges(trx, rows.map((data) => ({ companyId, audienceUserId: null, entity, entityId: data.id, op: "upsert" as const, data, at: now })));
}
