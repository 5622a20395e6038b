import type { Knex } from "knex";
import { findCompanyInboundCall } from "../db/calls-repo";
import { openTeammateLeg } from "./teammate-leg";
import { findLegTransfer } from "./transfers-repo";

/** What [transfer-user] sends for an incoming call's leg: the leg's id (the transfer's) and its own channel's uniqueid. */
export interface LegRequest {
  legId: string;
  uniqueid: string;
}

/** The Local channel asks right after the Redirect; a leg id asked about later than this is not a live transfer's. */
const askWithinMs = 60_000;

/**
 * Whether the Local channel a blind transfer of an incoming call opened may
 * ring the teammate, and if so the teammate's record of the leg, keyed on
 * that channel's uniqueid (the trunk channel's is the incoming call's own
 * key): its CDRs and the message file then name this record, as the far
 * channel's do for an outgoing call's transfer. Written before the Dial, so
 * no CDR of the leg finds no record; asked again (a retry), the same answer.
 */
export async function allowInboundTeammateLeg(db: Knex, request: LegRequest, now: number): Promise<"allow" | "deny"> {
  const found = await findLegTransfer(db, request.legId);
  const teammateId = found?.transfer.toUserId ?? null;
  if (found === undefined || teammateId === null || found.direction !== "inbound" || found.transfer.mode !== "blind") return "deny";
  if (now - found.transfer.createdAt > askWithinMs) return "deny";
  const { transfer } = found;
  const existing = await findCompanyInboundCall(db, transfer.companyId, request.legId);
  if (existing !== undefined) return existing.pbxUniqueid === request.uniqueid ? "allow" : "deny";
  const leg = { companyId: transfer.companyId, teammateId, farUniqueid: request.uniqueid, legClientCallId: request.legId, number: found.number, byName: found.byName };
  await db.transaction((trx) => openTeammateLeg(trx, leg, now));
  return "allow";
}
