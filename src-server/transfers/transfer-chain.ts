import type { Knex } from "knex";
import { CallerError } from "../../src-shared/errors";
import type { ChainEntry } from "../../src-shared/server-api/transfers";
import { findCompanyCall } from "../coaching/coaching-repo";
import type { RequestAuth } from "../http/app";
import { listCallChain, type ChainRow } from "./transfers-repo";

/**
 * The transfers one call took part in, for its history detail: the call that
 * was transferred, and the leg that carried the other party on, each point at
 * the other. A user sees their own calls' chain; an admin, any call of the
 * company. The other call is linked only when the viewer may open it.
 */
export async function callChain(db: Knex, auth: RequestAuth, callId: number): Promise<ChainEntry[]> {
  const call = await findCompanyCall(db, auth.companyId, callId);
  if (call === undefined || (auth.role !== "admin" && call.userId !== auth.userId)) throw new CallerError("not_found", "No call of yours has this id", { reason: "unknown_call" });
  const rows = await listCallChain(db, auth.companyId, call.id);
  const mayOpen = (other: { id: number; userId: number } | null): string | null => (other !== null && (auth.role === "admin" || other.userId === auth.userId) ? String(other.id) : null);
  return rows.map((row: ChainRow) => {
    const role = row.fromCall.id === call.id ? "from" : "leg";
    return {
      role,
      mode: row.transfer.mode,
      toName: row.toName,
      toNumber: row.transfer.toNumber,
      byName: row.byName,
      at: row.transfer.createdAt,
      linkedCallId: mayOpen(role === "from" ? row.legCall : row.fromCall),
    };
  });
}
