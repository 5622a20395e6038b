import type { ApiHandlers } from "../../../src-shared/api/contract";
import type { dialerMethodNames } from "../../../src-shared/api/areas/dialer-names";
import { CallingHoursReply, dialerPaths } from "../../../src-shared/server-api/dialer";
import type { CoreContext } from "../core-context";
import type { DialQueue } from "../dialer/dial-queue";

export type DialerHandlers = Pick<ApiHandlers, (typeof dialerMethodNames)[number]>;

/** The power dialer's queue (kept on this computer) and the company's calling hours (on the server). */
export function dialerHandlers(ctx: CoreContext, queue: DialQueue): DialerHandlers {
  return {
    getDialQueue: async () => ({ queue: await queue.view() }),
    buildDialQueue: ({ name, rows }) => queue.build(name, rows),
    startDialQueue: async () => ({ queue: await queue.start() }),
    pauseDialQueue: async () => ({ queue: await queue.pause() }),
    stopDialQueue: async () => ({ queue: await queue.stop() }),
    skipDialQueueItem: async ({ position }) => ({ queue: await queue.skip(position) }),
    nextDialQueueItem: () => queue.next(),
    dialQueueCallEnded: async ({ clientCallId, needsOutcome, result }) => ({ queue: await queue.callEnded(clientCallId, needsOutcome, result) }),
    getCallingHours: () => ctx.session.request(CallingHoursReply, "GET", dialerPaths.callingHours),
    setCallingHours: (body) => ctx.session.request(CallingHoursReply, "PUT", dialerPaths.callingHours, body),
  };
}
