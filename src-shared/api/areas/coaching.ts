import { z } from "zod";
import { ClientCallId } from "../../server-api/calls";
import { CallIdParams, CoachingLogReply, CoachingNotice, CoachingPolicy, CoachingStartBody, CoachingStartReply, LiveCallsReply } from "../../server-api/coaching";
import { Empty } from "../common-schemas";
import type { coachingMethodNames } from "./coaching-names";

export const coachingMethods = {
  listLiveCalls: { request: Empty, response: LiveCallsReply },
  /** A one-time token for joining the call; the renderer's phone dials the coaching target with it. */
  startCoaching: { request: CoachingStartBody, response: CoachingStartReply },
  coachingLog: { request: Empty, response: CoachingLogReply },
  getCoachingPolicy: { request: Empty, response: CoachingPolicy },
  setCoachingPolicy: { request: CoachingPolicy, response: CoachingPolicy },
  /** Who is coaching the user's own call now (null when nobody, or the company does not tell). */
  /** Who coached one call of the history, when and how long (an admin: any call of the company). */
  callCoachingLog: { request: CallIdParams, response: CoachingLogReply },
  coachingNotice: { request: z.strictObject({ clientCallId: ClientCallId }), response: CoachingNotice },
} as const satisfies Record<(typeof coachingMethodNames)[number], { request: z.ZodType; response: z.ZodType }>;
