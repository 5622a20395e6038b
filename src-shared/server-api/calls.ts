import { z } from "zod";

/**
 * The SIP header the softphone puts on its INVITE so the server can tie the
 * PBX's call (authorize, CDR) to the app's own call id (quality reports, outcomes).
 */
export const clientCallIdHeader = "X-Caller-Call-Id";
export const ClientCallId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "a lowercase UUID");

/** What the app measured during a call (WebRTC stats), kept with the call's record. */
export const CallQualitySummary = z.object({
  /** Estimated mean opinion score, 1 (bad) to 4.5 (best for narrowband/opus here). */
  mosAverage: z.number().min(1).max(5),
  mosMin: z.number().min(1).max(5),
  rttMsAverage: z.number().min(0).max(60_000),
  jitterMsAverage: z.number().min(0).max(60_000),
  packetLossPercent: z.number().min(0).max(100),
  samples: z.number().int().min(0).max(100_000),
});
export type CallQualitySummary = z.infer<typeof CallQualitySummary>;

/** POST /api/calls/quality */
export const CallQualityBody = z.strictObject({ clientCallId: ClientCallId, summary: CallQualitySummary });
export type CallQualityBody = z.infer<typeof CallQualityBody>;

/** POST /api/calls/quality answers this once the summary is stored. */
export const CallQualityReply = z.object({ ok: z.literal(true) });
export type CallQualityReply = z.infer<typeof CallQualityReply>;

/**
 * Why the server refused a call (`GET /pbx/authorize` → `result=deny&reason=…`).
 * The dialplan adds its own `invalid_number` (not E.164) and `authorize_failed`
 * (no usable answer), and turns a reason it does not know into `denied`.
 */
export const refusalReasons = [
  "invalid_number",
  "destination_blocked",
  "no_credit",
  "caller_not_enabled",
  "number_not_verified",
  "denied",
  "authorize_failed",
] as const;
export type RefusalReason = (typeof refusalReasons)[number];

/**
 * `HistoryCall.disposition` of a call the server recorded:
 * - `in_progress`: authorized, no call record from the PBX yet;
 * - `answered`: the far end answered (billedSeconds is Asterisk's billsec);
 * - `busy`, `no_answer` (rang out), `declined` (the far end rejected it: Q.850 cause 21, a SIP 603),
 *   `failed` (congestion, unreachable trunk);
 * - `cancelled`: the caller hung up before the far end answered;
 * - `interrupted`: the PBX carrying it was lost (Asterisk died) mid-call; billed from the answer
 *   to the moment it was lost (0 when it was still ringing), never again by a later CDR;
 * - `refused:<reason>`: the PBX or the server refused it (see `refusalReasons`).
 */
export const callDispositions = ["in_progress", "answered", "busy", "no_answer", "declined", "failed", "cancelled", "interrupted"] as const;
export type CallDisposition = (typeof callDispositions)[number] | `refused:${string}`;
