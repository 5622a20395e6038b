import type { Knex } from "knex";
import type { CdrRecord } from "../calls/cdr-record";
import { findEndpointCaller } from "../db/pbx-endpoints-repo";

/**
 * The endpoint a CDR's answered leg reached: Asterisk names a PJSIP channel
 * `PJSIP/<endpoint>-<8 hex digits>`. Null for anything else (a Local helper, a
 * leg nobody answered, a CDR of the dialplan alone).
 */
export function answeringEndpoint(cdr: Pick<CdrRecord, "destinationChannel" | "disposition">): string | null {
  if (cdr.disposition !== "ANSWERED") return null;
  return /^PJSIP\/([a-z0-9][a-z0-9.-]{0,79})-[0-9a-f]{8}$/.exec(cdr.destinationChannel)?.[1] ?? null;
}

/**
 * The user whose line answered an inbound call, when the CDR names one of the
 * company's endpoints. A ring group rings several members under one call: the
 * record is the answerer's, not the first member's in ring order.
 */
export async function inboundAnswerer(db: Knex, companyId: number, cdr: CdrRecord): Promise<number | null> {
  const endpoint = answeringEndpoint(cdr);
  if (endpoint === null) return null;
  const caller = await findEndpointCaller(db, endpoint);
  return caller !== undefined && caller.companyId === companyId ? caller.userId : null;
}
