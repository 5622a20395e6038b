import type { ApiHandlers } from "../../../src-shared/api/contract";
import type { coachingMethodNames } from "../../../src-shared/api/areas/coaching-names";
import { CoachingLogReply, CoachingNotice, CoachingPolicy, CoachingStartReply, coachingPaths, LiveCallsReply } from "../../../src-shared/server-api/coaching";
import type { CoreContext } from "../core-context";

export type CoachingHandlers = Pick<ApiHandlers, (typeof coachingMethodNames)[number]>;

/** Coaching goes straight to the server: live calls only make sense while it answers, so nothing is kept offline. */
export function coachingHandlers(ctx: CoreContext): CoachingHandlers {
  return {
    listLiveCalls: () => ctx.session.request(LiveCallsReply, "GET", coachingPaths.liveCalls),
    startCoaching: (body) => ctx.session.request(CoachingStartReply, "POST", coachingPaths.sessions, body),
    coachingLog: () => ctx.session.request(CoachingLogReply, "GET", coachingPaths.log),
    getCoachingPolicy: () => ctx.session.request(CoachingPolicy, "GET", coachingPaths.policy),
    setCoachingPolicy: (body) => ctx.session.request(CoachingPolicy, "PUT", coachingPaths.policy, body),
    callCoachingLog: ({ callId }) => ctx.session.request(CoachingLogReply, "GET", coachingPaths.callLog.replace(":callId", callId)),
    coachingNotice: ({ clientCallId }) => ctx.session.request(CoachingNotice, "GET", coachingPaths.notice.replace(":clientCallId", clientCallId)),
  };
}
