import type { Knex } from "knex";
import { toInt } from "../db/row-values";

export interface CallLink {
  contact_id: number | null;
  contact_name: string | null;
  deal_id: number | null;
  deal_title: string | null;
}

const noLink: CallLink = { contact_id: null, contact_name: null, deal_id: null, deal_title: null };

/** A deal's own person when the call names only the deal. */
async function resolve(trx: Knex.Transaction, companyId: number, contactId: number | null, dealId: number | null): Promise<CallLink> {
  const deal = dealId === null ? undefined : await trx("crm_deals").where({ id: dealId, company_id: companyId }).first<{ title: string; person_id: number | string | null } | undefined>();
  const personId = contactId ?? (deal?.person_id == null ? null : toInt(deal.person_id));
  const person = personId === null ? undefined : await trx("crm_people").where({ id: personId, company_id: companyId }).first<{ name: string } | undefined>();
  return {
    contact_id: person === undefined ? null : personId,
    contact_name: person?.name ?? null,
    deal_id: deal === undefined ? null : dealId,
    deal_title: deal?.title ?? null,
  };
}

/**
 * The link for a call just recorded: what the app said it dialed from (by its
 * client call id), else the company's person with this number (the newest one
 * when several share it), else none.
 */
export async function linkForNewCall(
  trx: Knex.Transaction,
  call: { companyId: number; userId: number; clientCallId: string | null; number: string },
): Promise<CallLink> {
  if (call.clientCallId !== null) {
    const said = await trx("crm_call_links").where({ user_id: call.userId, client_call_id: call.clientCallId }).first<{ contact_id: number | null; deal_id: number | null } | undefined>();
    if (said !== undefined) return resolve(trx, call.companyId, said.contact_id, said.deal_id);
  }
  const phone = await trx("crm_phones")
    .where({ company_id: call.companyId, owner_kind: "person", number: call.number })
    .orderBy("owner_id", "desc")
    .first<{ owner_id: number | string } | undefined>();
  return phone === undefined ? noLink : resolve(trx, call.companyId, toInt(phone.owner_id), null);
}

/** Remembers what the app dialed from, for a call record that may not exist yet. */
export async function rememberCallLink(trx: Knex.Transaction, userId: number, clientCallId: string, contactId: number | null, dealId: number | null, now: number): Promise<void> {
  await trx("crm_call_links")
    .insert({ user_id: userId, client_call_id: clientCallId, contact_id: contactId, deal_id: dealId, created_at: now })
    .onConflict(["user_id", "client_call_id"])
    .merge();
}

export { resolve as resolveCallLink };
