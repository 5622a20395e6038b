import type { Knex } from "knex";
import { callerStatusOf, type CompanyUser } from "../../src-shared/server-api/company-admin";
import { listUsers, toAdminUser, type UserRecord } from "../db/users-repo";
import { acceptedInvitations, openInvitations, type Invitation } from "./invitations-repo";

/** An invited user has no password until they accept. */
export const notYetChosenPassword = "";

export function toCompanyUser(user: UserRecord, invitation: Invitation | undefined, acceptedAt: number | null = null): CompanyUser {
  const admin = toAdminUser(user);
  return {
    ...admin,
    status: callerStatusOf({ callerEnabled: admin.callerEnabled, verifiedNumber: admin.verifiedNumber, invited: invitation !== undefined }),
    invitation: invitation === undefined ? null : { sentAt: invitation.createdAt, expiresAt: invitation.expiresAt, delivery: invitation.delivery },
    active: user.passwordHash !== notYetChosenPassword,
    acceptedAt,
  };
}

export async function listCompanyUsers(db: Knex, companyId: number): Promise<CompanyUser[]> {
  const [users, invitations, accepted] = await Promise.all([listUsers(db, companyId), openInvitations(db, companyId), acceptedInvitations(db, companyId)]);
  return users.map((user) => toCompanyUser(user, invitations.get(user.id), accepted.get(user.id) ?? null));
}
