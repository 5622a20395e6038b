import type { Knex } from "knex";
import { callerStatusOf, type CompanyUser } from "../../src-shared/server-api/company-admin";
import { listUsers, toAdminUser, type UserRecord } from "../db/users-repo";
import { openInvitations, type Invitation } from "./invitations-repo";

/** An invited user has no password until they accept. */
export const notYetChosenPassword = "";

export function toCompanyUser(user: UserRecord, invitation: Invitation | undefined): CompanyUser {
  const admin = toAdminUser(user);
  return {
    ...admin,
    status: callerStatusOf({ callerEnabled: admin.callerEnabled, verifiedNumber: admin.verifiedNumber, invited: invitation !== undefined }),
    invitation: invitation === undefined ? null : { sentAt: invitation.createdAt, expiresAt: invitation.expiresAt },
    active: user.passwordHash !== notYetChosenPassword,
  };
}

export async function listCompanyUsers(db: Knex, companyId: number): Promise<CompanyUser[]> {
  const [users, invitations] = await Promise.all([listUsers(db, companyId), openInvitations(db, companyId)]);
  return users.map((user) => toCompanyUser(user, invitations.get(user.id)));
}
