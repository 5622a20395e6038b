import { ChangesQuery, ChangesReply } from "../../src-shared/server-api/changes";
import { serverPaths } from "../../src-shared/server-api/paths";
import type { ChangeWaits } from "../changes/change-waits";
import { listChanges } from "../db/changes-repo";
import { authOf } from "../http/access";
import type { App, ServerDeps } from "../http/app";

export function registerChangesRoutes(app: App, deps: ServerDeps, waits: ChangeWaits): void {
  // A held request ends at once when the server closes, so closing never waits out a long poll.
  app.addHook("preClose", (done) => {
    waits.close();
    done();
  });
  app.get(
    serverPaths.changes,
    { config: { access: "user" }, schema: { querystring: ChangesQuery, response: { 200: ChangesReply } } },
    async (request, reply) => {
      const { companyId, userId, role } = authOf(request);
      const { since, limit, remaining, waitMs } = request.query;
      const page = { companyId, userId, role, since, limit, withRemaining: remaining === "1" };
      if (waitMs === 0) return listChanges(deps.db, page);
      // Real time, not the server's clock: this is how long a connection stays open.
      const deadline = Date.now() + waitMs;
      const gone = new AbortController();
      reply.raw.once("close", () => gone.abort());
      const watch = waits.watch(companyId);
      try {
        for (;;) {
          const changes = await listChanges(deps.db, page);
          const left = deadline - Date.now();
          if (changes.changes.length > 0 || left <= 0 || gone.signal.aborted || waits.closed) return changes;
          await watch.next(left, gone.signal);
        }
      } finally {
        watch.close();
      }
    },
  );
}
