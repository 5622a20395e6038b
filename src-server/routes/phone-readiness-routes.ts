import { planIncludesCaller } from "../../src-shared/domain/company";
import { CallerError } from "../../src-shared/errors";
import { PhoneReadinessReply, phoneReadinessPath } from "../../src-shared/server-api/phone-readiness";
import { readBalance } from "../credits/ledger-repo";
import { getCompany } from "../db/companies-repo";
import { getUser, mayUseCaller } from "../db/users-repo";
import { authOf } from "../http/access";
import type { App, ServerDeps } from "../http/app";

/** What the desktop's phone state is derived from: the same plan, access, caller ID and balance rules authorize applies. */
export function registerPhoneReadinessRoutes(app: App, deps: ServerDeps): void {
  app.get(phoneReadinessPath, { config: { access: "user" }, schema: { response: { 200: PhoneReadinessReply } } }, async (request) => {
    const { companyId, userId } = authOf(request);
    const [company, user, balance] = await Promise.all([getCompany(deps.db, companyId), getUser(deps.db, companyId, userId), readBalance(deps.db, companyId)]);
    if (company === undefined || user === undefined) throw new CallerError("unauthenticated", "The account no longer exists");
    return {
      planIncludesCaller: planIncludesCaller(company.plan),
      userMayCall: mayUseCaller(user),
      verifiedNumber: user.verifiedNumber,
      hasCredit: balance.bonusMicros + balance.purchasedMicros > 0,
    };
  });
}
