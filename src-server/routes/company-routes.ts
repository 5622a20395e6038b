import { Company } from "../../src-shared/domain/company";
import { CallerError } from "../../src-shared/errors";
import { serverPaths } from "../../src-shared/server-api/paths";
import { getCompany } from "../db/companies-repo";
import { authOf } from "../http/access";
import type { App, ServerDeps } from "../http/app";

export function registerCompanyRoutes(app: App, deps: ServerDeps): void {
  app.get(serverPaths.company, { config: { access: "user" }, schema: { response: { 200: Company } } }, async (request) => {
    const company = await getCompany(deps.db, authOf(request).companyId);
    if (company === undefined) throw new CallerError("not_found", "The company no longer exists");
    return company;
  });
}
