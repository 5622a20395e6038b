import { planIncludesCaller } from "../../src-shared/domain/company";
import { CallerError } from "../../src-shared/errors";
import { serverPaths } from "../../src-shared/server-api/paths";
import { SipConfig } from "../../src-shared/server-api/sip";
import { getCompany } from "../db/companies-repo";
import { ensureEndpoint } from "../db/pbx-endpoints-repo";
import { getUser, mayUseCaller } from "../db/users-repo";
import { authOf } from "../http/access";
import type { App, ServerDeps } from "../http/app";
import type { PbxServerConfig } from "../pbx/pbx-server-config";

export function registerSipRoutes(app: App, deps: ServerDeps, pbx: PbxServerConfig | null): void {
  app.get(serverPaths.sipConfig, { config: { access: "user" }, schema: { response: { 200: SipConfig } } }, async (request, reply) => {
    const { companyId, userId } = authOf(request);
    const [company, user] = await Promise.all([getCompany(deps.db, companyId), getUser(deps.db, companyId, userId)]);
    if (company === undefined || user === undefined) throw new CallerError("unauthenticated", "The account no longer exists");
    if (!planIncludesCaller(company.plan)) {
      throw new CallerError("forbidden", `Caller is not part of the ${company.plan} plan: it comes with Professional and Enterprise`, { reason: "plan_without_caller" });
    }
    if (!mayUseCaller(user)) throw new CallerError("forbidden", "Caller is not enabled for you: ask your company's admin to enable it", { reason: "caller_not_enabled" });
    if (pbx === null) throw new CallerError("ami_not_connected", "Calls are disabled on this server: it has no PBX configured");
    const endpoint = await ensureEndpoint(deps.db, user, deps.now());
    // Credentials: never kept by a cache on the way.
    void reply.header("cache-control", "no-store");
    return {
      wsUrl: pbx.wsUrl,
      aor: `sip:${endpoint.endpointId}@${pbx.sipDomain}`,
      username: endpoint.endpointId,
      password: endpoint.password,
      displayName: user.name,
      iceServers: pbx.iceServers,
    };
  });
}
