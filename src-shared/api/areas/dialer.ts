import { z } from "zod";
import { ClientCallId } from "../../server-api/calls";
import { CallingHoursBody, CallingHoursReply, PrecheckVerdict } from "../../server-api/dialer";
import { Empty } from "../common-schemas";
import type { dialerEventNames, dialerMethodNames } from "./dialer-names";

export const DialQueueStatus = z.enum(["ready", "running", "paused", "stopped", "finished"]);
export type DialQueueStatus = z.infer<typeof DialQueueStatus>;
export const DialItemState = z.enum(["waiting", "calling", "wrap_up", "done", "skipped"]);
export type DialItemState = z.infer<typeof DialItemState>;

/** Why an item was not dialed: the server's precheck verdict, or the user's Skip. */
export const SkipReason = z.union([PrecheckVerdict.exclude(["ok"]), z.literal("by_user")]);
export type SkipReason = z.infer<typeof SkipReason>;

export const DialQueueItem = z.object({
  position: z.number().int(),
  contactId: z.string().nullable(),
  dealId: z.string().nullable(),
  name: z.string(),
  number: z.string(),
  state: DialItemState,
  clientCallId: z.string().nullable(),
  /** done: "outcome" (one was saved), "voicemail", "no_outcome", "interrupted" (the app closed mid-call) or "failed:<reason>". */
  result: z.string().nullable(),
  skipReason: SkipReason.nullable(),
  /** Skipped for calling hours: when they open for this number (UTC ms); null: not within a week. */
  opensAt: z.number().int().nullable(),
});
export type DialQueueItem = z.infer<typeof DialQueueItem>;

export const DialQueue = z.object({
  id: z.string(),
  name: z.string(),
  status: DialQueueStatus,
  /** Why the queue paused by itself (the server could not be asked, the phone refused to dial). */
  error: z.string().nullable(),
  items: z.array(DialQueueItem),
  /** Items dialed or skipped so far, for "12 of 40". */
  handled: z.number().int(),
  total: z.number().int(),
});
export type DialQueue = z.infer<typeof DialQueue>;

export const DialQueueReply = z.object({ queue: DialQueue.nullable() });
export type DialQueueReply = z.infer<typeof DialQueueReply>;

const Ref = z.strictObject({ kind: z.enum(["contact", "deal"]), id: z.string().min(1).max(64) });
export type DialQueueRef = z.infer<typeof Ref>;

/** A row that cannot be queued: no number, or one that can never be dialed. */
export const DialQueueProblem = z.object({ index: z.number().int(), name: z.string(), number: z.string().nullable(), problem: z.enum(["not_found", "no_number", "invalid_number"]) });
export type DialQueueProblem = z.infer<typeof DialQueueProblem>;

/** Built, or refused with every row that is wrong (then nothing was built). */
export const BuildDialQueueReply = z.discriminatedUnion("ok", [z.object({ ok: z.literal(true), queue: DialQueue }), z.object({ ok: z.literal(false), problems: z.array(DialQueueProblem) })]);
export type BuildDialQueueReply = z.infer<typeof BuildDialQueueReply>;

/** What to dial now; null: nothing (finished, paused, or an item still waits for its outcome). */
export const NextDialReply = z.object({
  dial: z.object({ position: z.number().int(), number: z.string(), name: z.string(), clientCallId: ClientCallId }).nullable(),
  queue: DialQueue.nullable(),
});
export type NextDialReply = z.infer<typeof NextDialReply>;

export const dialerMethods = {
  getDialQueue: { request: Empty, response: DialQueueReply },
  /** A new queue from CRM rows, in order (a finished or stopped queue is replaced; a running or paused one must be stopped first). */
  buildDialQueue: { request: z.strictObject({ name: z.string().trim().min(1).max(120), rows: z.array(Ref).min(1).max(500) }), response: BuildDialQueueReply },
  /** Start or resume. */
  startDialQueue: { request: Empty, response: DialQueueReply },
  pauseDialQueue: { request: Empty, response: DialQueueReply },
  stopDialQueue: { request: Empty, response: DialQueueReply },
  /** Skips a waiting item, or the one being called (the page hangs it up). */
  skipDialQueueItem: { request: z.strictObject({ position: z.number().int().nonnegative() }), response: DialQueueReply },
  /** Prechecks the next items with the server, skips what may not be called, and hands out the next number with its call id (written first, so it is dialed once). */
  nextDialQueueItem: { request: Empty, response: NextDialReply },
  /** The queue's call ended; `needsOutcome`: it waits for the outcome before the next dials. */
  dialQueueCallEnded: { request: z.strictObject({ clientCallId: ClientCallId, needsOutcome: z.boolean(), result: z.string().min(1).max(64) }), response: DialQueueReply },
  getCallingHours: { request: Empty, response: CallingHoursReply },
  setCallingHours: { request: CallingHoursBody, response: CallingHoursReply },
} as const satisfies Record<(typeof dialerMethodNames)[number], { request: z.ZodType; response: z.ZodType }>;

export const dialerEvents = {
  dialQueueChanged: DialQueueReply,
} as const satisfies Record<(typeof dialerEventNames)[number], z.ZodType>;
