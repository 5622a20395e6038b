import { z } from "zod";

export const IceServer = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof IceServer>;

/**
 * GET /api/sip/config: what the softphone needs to register as the user's own
 * PBX endpoint. Fetched after sign-in, held in memory by the renderer's user
 * agent only, never stored or logged.
 */
export const SipConfig = z.object({
  /** ws:// or wss:// URL of the PBX's SIP WebSocket. */
  wsUrl: z.string(),
  /** The endpoint's address of record, e.g. sip:u42-k3x9@caller.pbx */
  aor: z.string(),
  username: z.string(),
  password: z.string(),
  displayName: z.string(),
  /** Empty on a LAN PBX: no STUN/TURN server to wait for. */
  iceServers: z.array(IceServer),
});
export type SipConfig = z.infer<typeof SipConfig>;

/**
 * POST /api/admin/users/:id/caller: an admin grants or revokes Caller for a
 * user of the company. Revoking takes the user's PBX endpoint away at once (its
 * credentials stop working) and the next grant issues new ones. Admins always
 * have Caller: revoking one is a 409. Answers with the user as the admin sees them.
 */
export const adminUserCallerPath = "/api/admin/users/:id/caller";
export const SetCallerAccessBody = z.strictObject({ enabled: z.boolean() });
export type SetCallerAccessBody = z.infer<typeof SetCallerAccessBody>;
export const UserIdParams = z.object({ id: z.coerce.number().int().positive() });
