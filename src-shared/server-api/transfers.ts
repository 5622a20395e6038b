import { z } from "zod";
import { VoicemailDropParams } from "./voicemail";

/** Transfer of the caller's own answered call, blind or after a consultation call. */
export const transferPaths = {
  /** POST: hand the call's other party on and free the caller. */
  transfer: "/api/calls/:clientCallId/transfer",
  /** GET: the teammates a call can be handed to, with their available/away state. */
  targets: "/api/transfer-targets",
  /** GET: the transfers a call took part in (transferred, or the leg that carried one on), for its history detail. */
  chain: "/api/calls/:callId/transfers",
} as const;

/** The consultation's INVITE names the answered call it is about ([transfer-consult] passes it to the server). */
export const consultForHeader = "X-Caller-Consult-For";
/** What the app dials to consult a teammate: [from-users] sends team<user id> to [transfer-consult]. */
export const teammateConsultTarget = (userId: number): string => `team${userId}`;

export const transferModes = ["blind", "attended"] as const;
export type TransferMode = (typeof transferModes)[number];

export const TransferParams = VoicemailDropParams;
const uuid = VoicemailDropParams.shape.clientCallId;

/**
 * Blind: the server dials `to` for the other party (a call of its own, authorized and charged like the caller's).
 * Attended: the caller already reached the third party with a consultation call; the two other parties are joined.
 */
export const TransferBody = z.union([
  z.strictObject({ mode: z.literal("blind"), to: z.string().regex(/^\+[1-9][0-9]{7,14}$/, "an E.164 number") }),
  // A teammate: the server rings that user's app; the leg stays inside the PBX and is not charged.
  z.strictObject({ mode: z.literal("blind"), toUserId: z.number().int().positive() }),
  z.strictObject({ mode: z.literal("attended"), consultClientCallId: uuid }),
]);
export type TransferBody = z.infer<typeof TransferBody>;

/** `legClientCallId`: the call that carries the other party on (blind: made by the server; attended: the consultation). `to`: a number, or the teammate's name. */
export const TransferReply = z.object({ callId: z.string(), mode: z.enum(transferModes), to: z.string(), legClientCallId: z.string() });
export type TransferReply = z.infer<typeof TransferReply>;

/** How a call's history row names its transfer. */
export const CallTransferInfo = z.object({ mode: z.enum(transferModes), to: z.string(), legClientCallId: z.string() });
export type CallTransferInfo = z.infer<typeof CallTransferInfo>;

/** A teammate the caller may hand a call to: same company, Caller enabled, an endpoint the PBX can ring. */
export const TransferTarget = z.object({ userId: z.number().int(), name: z.string(), availability: z.enum(["available", "away"]) });
export type TransferTarget = z.infer<typeof TransferTarget>;
export const TransferTargetsReply = z.object({ teammates: z.array(TransferTarget) });
export type TransferTargetsReply = z.infer<typeof TransferTargetsReply>;

export const ChainParams = z.strictObject({ callId: z.string().regex(/^[1-9][0-9]{0,15}$/, "a call id") });

/**
 * One transfer as a call's history shows it. `role`: this call was the one
 * transferred (`from`), or the leg that carried the other party on (`leg`:
 * the server's blind leg, or the consultation call). `toName`: the teammate,
 * null for a number. `linkedCallId`: the other call of the chain, when it is
 * the viewer's to open (null: a teammate's, or not written yet).
 */
export const ChainEntry = z.object({
  role: z.enum(["from", "leg"]),
  mode: z.enum(transferModes),
  toName: z.string().nullable(),
  toNumber: z.string(),
  byName: z.string(),
  at: z.number().int(),
  linkedCallId: z.string().nullable(),
});
export type ChainEntry = z.infer<typeof ChainEntry>;
export const ChainReply = z.object({ entries: z.array(ChainEntry) });
export type ChainReply = z.infer<typeof ChainReply>;
