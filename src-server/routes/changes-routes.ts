import { ChangesQuery, ChangesReply } from "../../src-shared/server-api/changes";
import { serverPaths } from "../../src-shared/server-api/paths";
import { listChanges } from "../db/changes-repo";
import { authOf } from "../http/access";
import type { App, ServerDeps } from "../http/app";

export function registerChangesRoutes(app: App, deps: ServerDeps): void {
  app.get(
    serverPaths.changes,
    { config: { access: "user" }, schema: { querystring: ChangesQuery, response: { 200: ChangesReply } } },
    async (request) => {
      const { companyId, userId, role } = authOf(request);
      const { since, limit, remaining } = request.query;
      return listChanges(deps.db, { companyId, userId, role, since, limit, withRemaining: remaining === "1" });
    },
  );
}
