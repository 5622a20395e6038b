import { Company } from "../../src-shared/domain/company";
import { CallerError } from "../../src-shared/errors";
import { AdminUsersReply, UpdateCompanyBody } from "../../src-shared/server-api/admin";
import { serverPaths } from "../../src-shared/server-api/paths";
import { appendChange } from "../db/changes-repo";
import { updateCompany } from "../db/companies-repo";
import { listUsers, toAdminUser } from "../db/users-repo";
import { authOf } from "../http/access";
import type { App, ServerDeps } from "../http/app";

export function registerAdminRoutes(app: App, deps: ServerDeps): void {
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
}
