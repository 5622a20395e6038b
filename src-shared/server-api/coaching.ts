import { z } from "zod";
import { ClientCallId } from "./calls";

/** Coaching: an admin listens to, whispers into or barges into a user's live call. */
export const coachingPaths = {
  /** GET (admin): the company's calls in progress. */
  liveCalls: "/api/admin/coaching/live-calls",
  /** POST (admin): a one-time token for joining a call in a mode, dialed as `coachingTarget` with it in `coachingTokenHeader`. */
  sessions: "/api/admin/coaching/sessions",
  /** GET (admin): who coached which call, when and how, newest first. */
  log: "/api/admin/coaching/log",
  /** GET, PUT (admin): whether the coached user is told. */
  policy: "/api/admin/coaching/policy",
  /** GET (user): who is coaching the caller's own call now, when the company tells its users. */
  notice: "/api/calls/:clientCallId/coaching",
  /** GET (user or admin): the coaching sessions of one call, for its history detail (an admin: any call of the company). */
  callLog: "/api/calls/:callId/coaching-log",
} as const;

/** The SIP target the admin's softphone dials; the dialplan sends it to its own [coach] context. */
export const coachingTarget = "coach";
/** The SIP header that carries the token (the dialplan reduces it to 64 hex digits). */
export const coachingTokenHeader = "X-Caller-Coach-Token";

export const CoachingMode = z.enum(["listen", "whisper", "barge"]);
export type CoachingMode = z.infer<typeof CoachingMode>;

export const LiveCall = z.object({
  callId: z.string(),
  userId: z.number().int(),
  userName: z.string(),
  number: z.string(),
  startedAt: z.number().int(),
  answeredAt: z.number().int().nullable(),
  /** The PBX reports the call's channels now: it can be joined. */
  joinable: z.boolean(),
});
export type LiveCall = z.infer<typeof LiveCall>;
export const LiveCallsReply = z.object({ calls: z.array(LiveCall) });
export type LiveCallsReply = z.infer<typeof LiveCallsReply>;

export const CoachingStartBody = z.strictObject({ callId: z.string().regex(/^[1-9][0-9]{0,15}$/, "a call id"), mode: CoachingMode });
export type CoachingStartBody = z.infer<typeof CoachingStartBody>;
export const CoachingStartReply = z.object({
  sessionId: z.number().int(),
  /** 64 hex digits, good once and for `expiresAt`. */
  token: z.string(),
  target: z.string(),
  header: z.string(),
  expiresAt: z.number().int(),
});
export type CoachingStartReply = z.infer<typeof CoachingStartReply>;

export const CoachingLogEntry = z.object({
  id: z.number().int(),
  adminUserId: z.number().int(),
  adminName: z.string(),
  callId: z.string(),
  userName: z.string(),
  number: z.string(),
  mode: CoachingMode,
  createdAt: z.number().int(),
  /** When the PBX joined the admin to the call; null: never joined (expired, refused, or the call ended). */
  joinedAt: z.number().int().nullable(),
  /** When the admin's leg ended; null: still on, never joined, or not heard (absent from older servers). */
  leftAt: z.number().int().nullable().optional(),
});
export type CoachingLogEntry = z.infer<typeof CoachingLogEntry>;
export const CoachingLogReply = z.object({ entries: z.array(CoachingLogEntry) });
export type CoachingLogReply = z.infer<typeof CoachingLogReply>;

export const CoachingPolicy = z.strictObject({ notifyUser: z.boolean() });
export type CoachingPolicy = z.infer<typeof CoachingPolicy>;

export const CoachingNoticeParams = z.strictObject({ clientCallId: ClientCallId });
export const CoachingNotice = z.object({ coach: z.object({ name: z.string(), mode: CoachingMode }).nullable() });
export type CoachingNotice = z.infer<typeof CoachingNotice>;

export const CallIdParams = z.strictObject({ callId: z.string().regex(/^[1-9][0-9]{0,15}$/, "a call id") });
