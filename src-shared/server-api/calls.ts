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
