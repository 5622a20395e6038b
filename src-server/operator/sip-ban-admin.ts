import type { Knex } from "knex";
import { CallerError } from "../../src-shared/errors";
import { getSipBan, liftSipBan, type SipBan } from "../pbx/sip-bans";
import { logOperatorAction } from "./operator-actions-repo";

/**
 * The operator ends a SIP ban before its time (a customer's office locked out
 * by a misconfigured phone). The ban's row says who lifted it; the operator's
 * log says so too. A ban already over is a conflict, not a silent success.
 */
export async function liftSipBanById(db: Knex, id: number, change: { actor: string; now: number }): Promise<SipBan> {
  return db.transaction(async (trx) => {
    const ban = await getSipBan(trx, id);
    if (ban === null) throw new CallerError("not_found", `No SIP ban ${id}`);
    if (ban.liftedAt !== null) throw new CallerError("conflict", `SIP ban ${id} (${ban.address}) was already lifted by ${ban.liftedBy ?? "someone"}`, { reason: "sip_ban_already_lifted", params: { address: ban.address, by: ban.liftedBy ?? "?" } });
    if (ban.bannedUntil <= change.now) throw new CallerError("conflict", `SIP ban ${id} (${ban.address}) has already ended`, { reason: "sip_ban_ended", params: { address: ban.address } });
    await liftSipBan(trx, ban.address, change.actor, change.now);
    await logOperatorAction(trx, { actor: change.actor, action: "sip_ban_lifted", companyId: null, details: { ban: id, address: ban.address }, at: change.now });
    return { ...ban, liftedBy: change.actor, liftedAt: change.now };
  });
}
