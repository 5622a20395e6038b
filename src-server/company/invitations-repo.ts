import type { Knex } from "knex";
import type { InvitationDelivery } from "../../src-shared/server-api/company-admin";
import { toInt } from "../db/row-values";

interface InvitationRow {
  id: number;
  company_id: number;
  user_id: number;
  token_hash: string;
  invited_by: number | null;
  created_at: number | string;
  expires_at: number | string;
  accepted_at: number | string | null;
  revoked_at: number | string | null;
  delivery: InvitationDelivery | null;
}

export interface Invitation {
  id: number;
  companyId: number;
  userId: number;
  createdAt: number;
  expiresAt: number;
  acceptedAt: number | null;
  revokedAt: number | null;
  delivery: InvitationDelivery | null;
}

function toInvitation(row: InvitationRow): Invitation {
  return {
    id: toInt(row.id),
    companyId: toInt(row.company_id),
    userId: toInt(row.user_id),
    createdAt: toInt(row.created_at),
    expiresAt: toInt(row.expires_at),
    acceptedAt: row.accepted_at === null ? null : toInt(row.accepted_at),
    revokedAt: row.revoked_at === null ? null : toInt(row.revoked_at),
    delivery: row.delivery,
  };
}

export interface NewInvitation {
  companyId: number;
  userId: number;
  tokenHash: string;
  invitedBy: number;
  createdAt: number;
  expiresAt: number;
}

/** Stores a new invitation and retires any earlier open one of the user: one live link per user. */
export async function replaceInvitation(trx: Knex.Transaction, invitation: NewInvitation): Promise<Invitation> {
  await revokeOpenInvitations(trx, invitation.userId, invitation.createdAt);
  const rows = await trx<InvitationRow>("invitations")
    .insert({
      company_id: invitation.companyId,
      user_id: invitation.userId,
      token_hash: invitation.tokenHash,
      invited_by: invitation.invitedBy,
      created_at: invitation.createdAt,
      expires_at: invitation.expiresAt,
      accepted_at: null,
      revoked_at: null,
    })
    .returning("*");
  if (rows[0] === undefined) throw new Error("insert into invitations returned no row");
  return toInvitation(rows[0]);
}

export async function revokeOpenInvitations(db: Knex, userId: number, now: number): Promise<number> {
  return db<InvitationRow>("invitations").where({ user_id: userId }).whereNull("accepted_at").whereNull("revoked_at").update({ revoked_at: now });
}

export async function findInvitationByHash(db: Knex, tokenHash: string): Promise<Invitation | undefined> {
  const row = await db<InvitationRow>("invitations").where({ token_hash: tokenHash }).first();
  return row === undefined ? undefined : toInvitation(row);
}

/** Marks it used, once: false when another request accepted or revoked it first. */
export async function markAccepted(trx: Knex.Transaction, id: number, now: number): Promise<boolean> {
  const n = await trx<InvitationRow>("invitations").where({ id }).whereNull("accepted_at").whereNull("revoked_at").update({ accepted_at: now });
  return n === 1;
}

/** Per user, the open (not accepted, not revoked) invitation, expired ones included. */
export async function openInvitations(db: Knex, companyId: number): Promise<Map<number, Invitation>> {
  const rows = await db<InvitationRow>("invitations").where({ company_id: companyId }).whereNull("accepted_at").whereNull("revoked_at").orderBy("id");
  return new Map(rows.map((row) => [toInt(row.user_id), toInvitation(row)]));
}

/** Records how the link went out (emailed, no mail server, refused, handed to the admin). */
export async function setDelivery(db: Knex, id: number, delivery: InvitationDelivery): Promise<void> {
  await db<InvitationRow>("invitations").where({ id }).update({ delivery });
}

/** Per user, when they accepted an invitation (the latest, if several). */
export async function acceptedInvitations(db: Knex, companyId: number): Promise<Map<number, number>> {
  const rows = await db<InvitationRow>("invitations").where({ company_id: companyId }).whereNotNull("accepted_at").orderBy("id").select("user_id", "accepted_at");
  return new Map(rows.map((row) => [toInt(row.user_id), toInt(row.accepted_at ?? 0)]));
}
