import { CallerError } from "../../src-shared/errors";
import { CallQualityBody, CallQualityReply } from "../../src-shared/server-api/calls";
import { serverPaths } from "../../src-shared/server-api/paths";
import { findUserCallByClientId, setCallQuality } from "../db/calls-repo";
import { authOf } from "../http/access";
import type { App, ServerDeps } from "../http/app";

export function registerCallsRoutes(app: App, deps: ServerDeps): void {
  app.post(
    serverPaths.callQuality,
    { config: { access: "user" }, schema: { body: CallQualityBody, response: { 200: CallQualityReply } } },
    async (request) => {
      const { userId } = authOf(request);
      const { clientCallId, summary } = request.body;
      // Only the caller's own calls: someone else's call id is as unknown as a made-up one.
      const call = await findUserCallByClientId(deps.db, userId, clientCallId);
      if (call === undefined) throw new CallerError("not_found", "No call of yours has this id", { reason: "unknown_call" });
      await deps.db.transaction((trx) => setCallQuality(trx, call.id, summary, deps.now()));
      return { ok: true as const };
    },
  );
}
