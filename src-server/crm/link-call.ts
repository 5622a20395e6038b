import type { Knex } from "knex";
import { CallerError } from "../../src-shared/errors";
import { appendChange } from "../db/changes-repo";
import { findCallForUpdate, toHistoryCall } from "../db/calls-repo";
import { toInt } from "../db/row-values";
import type { RequestAuth } from "../http/app";
import { rememberCallLink, resolveCallLink } from "./call-links";

/**
 * The app dialed from a contact or deal page. The link is remembered for a
 * call record still to come, and applied now (with a `call` change) when the
 * PBX already reported the call. Returns whether a call record was linked.
 */
export async function linkExistingCall(trx: Knex.Transaction, auth: RequestAuth, clientCallId: string, contactId: number | null, dealId: number | null, now: number): Promise<boolean> {
  const link = await resolveCallLink(trx, auth.companyId, contactId, dealId);
  if (contactId !== null && link.contact_id === null) throw new CallerError("not_found", "No such person");
  if (dealId !== null && link.deal_id === null) throw new CallerError("not_found", "No such deal");
  await rememberCallLink(trx, auth.userId, clientCallId, link.contact_id, link.deal_id, now);
  const call = await trx("calls").where({ user_id: auth.userId, client_call_id: clientCallId }).orderBy("id", "desc").first<{ id: number | string; pbx_uniqueid: string } | undefined>();
  if (call === undefined) return false;
  await trx("calls").where({ id: call.id }).update(link);
  const record = await findCallForUpdate(trx, call.pbx_uniqueid);
  if (record === undefined) return false;
  const recording = await trx("recordings").where({ call_id: toInt(call.id) }).first<{ id: number | string } | undefined>();
  await appendChange(trx, {
    companyId: auth.companyId,
    audienceUserId: auth.userId,
    entity: "call",
    entityId: String(record.id),
    op: "upsert",
    data: toHistoryCall(record, recording === undefined ? undefined : String(recording.id)),
    at: now,
  });
  return true;
}
