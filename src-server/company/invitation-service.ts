import type { FastifyBaseLogger } from "fastify";
import type { Knex } from "knex";
import { companyLanguage, planIncludesCaller } from "../../src-shared/domain/company";
import { CallerError } from "../../src-shared/errors";
import { companyAdminPaths, invitationTtlMs, type InvitationDelivery, type InviteReply } from "../../src-shared/server-api/company-admin";
import { hashPassword } from "../auth/password";
import { appendChange } from "../db/changes-repo";
import { getCompany } from "../db/companies-repo";
import { ensureEndpoint, revokeEndpoints } from "../db/pbx-endpoints-repo";
import type { EndpointCache } from "../pbx/endpoint-cache";
import { createUser, findUserByEmail, getUser, toAdminUser, type UserRecord } from "../db/users-repo";
import type { RequestAuth } from "../http/app";
import { invitationEmail } from "../mail/invitation-email";
import type { Mailer } from "../mail/mailer";
import { findOperatorByEmail } from "../operator/operators-repo";
import { notYetChosenPassword, toCompanyUser } from "./company-users";
import { findInvitationByHash, markAccepted, replaceInvitation, revokeOpenInvitations, setDelivery, type Invitation } from "./invitations-repo";
import { hashInvitationToken, looksLikeInvitationToken, newInvitationToken } from "./invitation-token";

export interface InvitationDeps {
  db: Knex;
  now: () => number;
  mailer: Mailer | null;
  log: FastifyBaseLogger;
  /** Drops a retired endpoint from every PBX's cache; null: no PBX. */
  endpoints: EndpointCache | null;
}

const isActive = (user: UserRecord): boolean => user.passwordHash !== notYetChosenPassword;

async function announceUser(trx: Knex.Transaction, user: UserRecord, now: number, op: "upsert" | "delete" = "upsert"): Promise<void> {
  await appendChange(trx, { companyId: user.companyId, audienceUserId: user.id, entity: "user", entityId: String(user.id), op, data: op === "delete" ? null : toAdminUser(user), at: now });
}

async function issue(trx: Knex.Transaction, user: UserRecord, invitedBy: number, now: number): Promise<{ token: string; invitation: Invitation }> {
  const token = newInvitationToken();
  const invitation = await replaceInvitation(trx, { companyId: user.companyId, userId: user.id, tokenHash: hashInvitationToken(token), invitedBy, createdAt: now, expiresAt: now + invitationTtlMs });
  return { token, invitation };
}

/** The invitee's own language when chosen, else the company's. */
export function invitationLanguage(user: Pick<UserRecord, "locale">, company: { country: string } | undefined): "ja" | "en" {
  if (user.locale === "ja" || user.locale === "en") return user.locale;
  return companyLanguage(company ?? { country: "" });
}

async function send(deps: InvitationDeps, auth: RequestAuth, user: UserRecord, invitation: Invitation, link: string): Promise<InvitationDelivery> {
  if (deps.mailer === null) return "no_mail_server";
  const [company, inviter] = await Promise.all([getCompany(deps.db, auth.companyId), getUser(deps.db, auth.companyId, auth.userId)]);
  try {
    await deps.mailer.send(
      invitationEmail({
        to: user.email,
        companyName: company?.name ?? "",
        inviterName: inviter?.name ?? null,
        link,
        expiresAt: invitation.expiresAt,
        language: invitationLanguage(user, company),
        timeZone: company?.timeZone ?? "UTC",
      }),
    );
    return "emailed";
  } catch (error) {
    deps.log.warn({ err: error }, "invitation email not sent");
    return "mail_failed";
  }
}

/**
 * Emails the link, or (asked for a link only, no mail server, mail refused) hands it to the
 * admin; records which, so the users list says what really happened.
 */
async function deliver(deps: InvitationDeps, auth: RequestAuth, user: UserRecord, token: string, invitation: Invitation, baseUrl: string, via: "email" | "link"): Promise<InviteReply> {
  const link = `${baseUrl}${companyAdminPaths.invitePage.replace(":token", token)}`;
  const delivery = via === "link" ? "link_only" : await send(deps, auth, user, invitation, link);
  await setDelivery(deps.db, invitation.id, delivery);
  const invited = toCompanyUser(user, { ...invitation, delivery });
  return delivery === "emailed" ? { user: invited, emailed: true, delivery, link: null } : { user: invited, emailed: false, delivery, link };
}

/** A new regular user with Caller granted and no password yet, and their one-time link. */
export async function inviteUser(deps: InvitationDeps, auth: RequestAuth, body: { email: string; name?: string | undefined; language?: "ja" | "en" | undefined }, baseUrl: string): Promise<InviteReply> {
  const now = deps.now();
  const { user, token, invitation } = await deps.db.transaction(async (trx) => {
    const existing = await findUserByEmail(trx, body.email);
    // Sign-in finds an account by email alone: the operator's email cannot also be a company user's.
    if ((existing !== undefined && (existing.companyId !== auth.companyId || isActive(existing))) || (await findOperatorByEmail(trx, body.email)) !== undefined) {
      throw new CallerError("conflict", "Someone already uses Caller with this email", { reason: "email_taken" });
    }
    const locale = body.language ?? null;
    if (existing !== undefined && locale !== null) await trx("users").where({ id: existing.id }).update({ locale });
    const user =
      (existing === undefined ? undefined : { ...existing, locale: locale ?? existing.locale }) ??
      (await createUser(trx, { companyId: auth.companyId, email: body.email, name: body.name || (body.email.split("@")[0] ?? body.email), role: "regular", passwordHash: notYetChosenPassword, locale, callerEnabled: true }, now));
    if (planIncludesCaller((await getCompany(trx, auth.companyId))?.plan ?? "essential")) await ensureEndpoint(trx, user, now);
    await announceUser(trx, user, now);
    return { user, ...(await issue(trx, user, auth.userId, now)) };
  });
  return deliver(deps, auth, user, token, invitation, baseUrl, "email");
}

async function invitedUser(db: Knex, auth: RequestAuth, userId: number): Promise<UserRecord> {
  const user = await getUser(db, auth.companyId, userId);
  if (user === undefined) throw new CallerError("not_found", "No such user in your company");
  if (isActive(user)) throw new CallerError("conflict", "This user already accepted their invitation", { reason: "invitation_already_accepted" });
  return user;
}

/** A fresh link, emailed or only returned to the admin; the previous one stops working. */
export async function resendInvitation(deps: InvitationDeps, auth: RequestAuth, userId: number, baseUrl: string, via: "email" | "link" = "email"): Promise<InviteReply> {
  const now = deps.now();
  const { user, token, invitation } = await deps.db.transaction(async (trx) => {
    const user = await invitedUser(trx, auth, userId);
    return { user, ...(await issue(trx, user, auth.userId, now)) };
  });
  return deliver(deps, auth, user, token, invitation, baseUrl, via);
}

/** The link stops working and the never-activated user goes, with their endpoint. */
export async function cancelInvitation(deps: InvitationDeps, auth: RequestAuth, userId: number): Promise<void> {
  const now = deps.now();
  const retired = await deps.db.transaction(async (trx) => {
    const user = await invitedUser(trx, auth, userId);
    await revokeOpenInvitations(trx, user.id, now);
    const retired = await revokeEndpoints(trx, user.id, now);
    await announceUser(trx, user, now, "delete");
    await trx("users").where({ company_id: auth.companyId, id: user.id }).delete();
    return retired;
  });
  await deps.endpoints?.expire(retired);
}

export type InvitationCheck = { ok: true; invitation: Invitation; user: UserRecord } | { ok: false; reason: "unknown" | "used" | "expired" };

export async function checkInvitation(db: Knex, token: string, now: number): Promise<InvitationCheck> {
  if (!looksLikeInvitationToken(token)) return { ok: false, reason: "unknown" };
  const invitation = await findInvitationByHash(db, hashInvitationToken(token));
  if (invitation === undefined) return { ok: false, reason: "unknown" };
  if (invitation.acceptedAt !== null || invitation.revokedAt !== null) return { ok: false, reason: "used" };
  if (invitation.expiresAt <= now) return { ok: false, reason: "expired" };
  const user = await getUser(db, invitation.companyId, invitation.userId);
  return user === undefined ? { ok: false, reason: "unknown" } : { ok: true, invitation, user };
}

/** Sets the name and password, once per link; the user then signs in with the app. */
export async function acceptInvitation(deps: Pick<InvitationDeps, "db" | "now">, token: string, body: { name: string; password: string }): Promise<InvitationCheck> {
  const before = await checkInvitation(deps.db, token, deps.now());
  if (!before.ok) return before;
  const passwordHash = await hashPassword(body.password);
  const now = deps.now();
  return deps.db.transaction(async (trx): Promise<InvitationCheck> => {
    if (!(await markAccepted(trx, before.invitation.id, now))) return { ok: false, reason: "used" };
    await trx("users").where({ id: before.user.id }).update({ name: body.name, password_hash: passwordHash });
    const user = (await getUser(trx, before.user.companyId, before.user.id)) ?? before.user;
    await announceUser(trx, user, now);
    return { ok: true, invitation: before.invitation, user };
  });
}
