import type { Knex } from "knex";
import { recordingDecision } from "../../src-shared/credits/decide-call";
import { CallerError } from "../../src-shared/errors";
import type { TransferTarget } from "../../src-shared/server-api/transfers";
import { findServableEndpointsOfUsers } from "../db/pbx-endpoints-repo";
import { getUser, listUsers } from "../db/users-repo";
import type { RequestAuth } from "../http/app";
import { awayUserIds } from "../inbound/inbound-repo";

/**
 * The teammates a user may hand a call to: the other users of the same
 * company whose endpoint the PBX may ring now (not revoked, Caller enabled,
 * the plan includes it). Away users are listed, marked away: the caller
 * decides, as a receptionist would.
 */
export async function listTeammates(db: Knex, auth: RequestAuth): Promise<TransferTarget[]> {
  const others = (await listUsers(db, auth.companyId)).filter((user) => user.id !== auth.userId);
  const ids = others.map((user) => user.id);
  const [endpoints, away] = await Promise.all([findServableEndpointsOfUsers(db, ids), awayUserIds(db, ids)]);
  const ringable = new Set(endpoints.filter((e) => e.companyId === auth.companyId).map((e) => e.userId));
  return others.filter((user) => ringable.has(user.id)).map((user) => ({ userId: user.id, name: user.name, availability: away.has(user.id) ? "away" : "available" }));
}

/**
 * The teammate a transfer may ring, with the endpoint the PBX dials; refused with a clear reason otherwise.
 * `announce`: their voicemail plays the recording notice first, as the company's number does before a
 * caller can leave a message (the caller has no per-call choice: the company's default applies).
 */
export async function teammateTarget(db: Knex, auth: Pick<RequestAuth, "companyId" | "userId">, userId: number): Promise<{ userId: number; name: string; endpointId: string; announce: boolean }> {
  if (userId === auth.userId) throw new CallerError("transfer_refused", "You cannot transfer a call to yourself: the call was not transferred");
  const user = await getUser(db, auth.companyId, userId);
  if (user === undefined) throw new CallerError("transfer_refused", "That person is not a user of your company: the call was not transferred");
  const endpoint = (await findServableEndpointsOfUsers(db, [userId])).find((e) => e.companyId === auth.companyId);
  if (endpoint === undefined) throw new CallerError("transfer_refused", `${user.name} cannot take calls in Caller now: the call was not transferred`);
  return { userId, name: user.name, endpointId: endpoint.endpointId, announce: recordingDecision(endpoint.recording, true).announce };
}
