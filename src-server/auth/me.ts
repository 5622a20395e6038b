import type { Knex } from "knex";
import { planIncludesCaller } from "../../src-shared/domain/company";
import { CallerError } from "../../src-shared/errors";
import type { Me } from "../../src-shared/server-api/auth";
import { getCompany } from "../db/companies-repo";
import { getUser, mayUseCaller, toUser } from "../db/users-repo";

/** The signed-in user, their company, and whether Caller is on for them (plan AND permission). */
export async function loadMe(db: Knex, companyId: number, userId: number): Promise<Me> {
  const [company, user] = await Promise.all([getCompany(db, companyId), getUser(db, companyId, userId)]);
  if (company === undefined || user === undefined) throw new CallerError("unauthenticated", "The account no longer exists");
  return { user: toUser(user), company, callerEnabled: planIncludesCaller(company.plan) && mayUseCaller(user) };
}
