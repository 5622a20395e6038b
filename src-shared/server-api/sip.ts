import { z } from "zod";

export const IceServer = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});

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
