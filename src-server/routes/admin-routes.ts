import { Company, planIncludesCaller } from "../../src-shared/domain/company";
import { CallerError } from "../../src-shared/errors";
import { AdminUser, AdminUsersReply, UpdateCompanyBody } from "../../src-shared/server-api/admin";
import { serverPaths } from "../../src-shared/server-api/paths";
import { adminUserCallerPath, SetCallerAccessBody, UserIdParams } from "../../src-shared/server-api/sip";
import type { CallHangups } from "../calls/call-hangups";
import { appendChange } from "../db/changes-repo";
import { getCompany, updateCompany } from "../db/companies-repo";
import { ensureEndpoint, revokeEndpoints } from "../db/pbx-endpoints-repo";
import { getUser, listUsers, setCallerEnabled, toAdminUser } from "../db/users-repo";
import { authOf } from "../http/access";
import type { App, ServerDeps } from "../http/app";
import type { EndpointCache } from "../pbx/endpoint-cache";

/**
 * `hangups`: ends a revoked user's calls in progress on the PBX; `endpoints`: drops their
 * endpoint from every PBX's cache. Absent (no PBX): nothing to end or drop.
 */
export function registerAdminRoutes(app: App, deps: ServerDeps, hangups: CallHangups | null = null, endpoints: EndpointCache | null = null): void {
  const { db } = deps;

  app.get(serverPaths.adminUsers, { config: { access: "admin" }, schema: { response: { 200: AdminUsersReply } } }, async (request) => {
    const users = await listUsers(db, authOf(request).companyId);
    return { users: users.map(toAdminUser) };
  });

  app.patch(
    serverPaths.adminCompany,
    { config: { access: "admin" }, schema: { body: UpdateCompanyBody, response: { 200: Company } } },
    async (request) => {
      const { companyId } = authOf(request);
      return db.transaction(async (trx) => {
        const company = await updateCompany(trx, companyId, request.body);
        if (company === undefined) throw new CallerError("not_found", "The company no longer exists");
        await appendChange(trx, {
          companyId,
          audienceUserId: null,
          entity: "company",
          entityId: String(company.id),
          op: "upsert",
          data: company,
          at: deps.now(),
        });
        return company;
      });
    },
  );

  app.post(
    adminUserCallerPath,
    { config: { access: "admin" }, schema: { params: UserIdParams, body: SetCallerAccessBody, response: { 200: AdminUser } } },
    async (request) => {
      const { companyId } = authOf(request);
      const { id } = request.params;
      const { enabled } = request.body;
      const now = deps.now();
      let retired: string[] = [];
      const adminView = await db.transaction(async (trx) => {
        const user = await getUser(trx, companyId, id);
        if (user === undefined) throw new CallerError("not_found", "No such user in your company");
        if (!enabled && user.role === "admin") throw new CallerError("conflict", "An admin always has Caller: make them a regular user first", { reason: "admin_keeps_caller" });
        const updated = await setCallerEnabled(trx, companyId, id, enabled);
        if (updated === undefined) throw new CallerError("not_found", "No such user in your company");
        // Revoked: the endpoint is gone for the PBX's next lookup. Granted: a fresh one, new id and password.
        if (!enabled) retired = await revokeEndpoints(trx, id, now);
        else if (planIncludesCaller((await getCompany(trx, companyId))?.plan ?? "essential")) await ensureEndpoint(trx, updated, now);
        const adminView = toAdminUser(updated);
        await appendChange(trx, { companyId, audienceUserId: id, entity: "user", entityId: String(id), op: "upsert", data: adminView, at: now });
        return adminView;
      });
      // Once the endpoint is retired for good (committed): no PBX serves it from its cache, and a call already up is ended too.
      await endpoints?.expire(retired);
      if (!enabled) await hangups?.hangUpUser(id);
      return adminView;
    },
  );
}
