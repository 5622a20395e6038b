import { z } from "zod";
import { AdminUser } from "./admin";
import { maxNotesLength } from "./outcome-notes";

/** Company settings on the server: users and invitations, call outcomes (issue 6). */
export const companyAdminPaths = {
  users: "/api/admin/company/users",
  invitations: "/api/admin/invitations",
  /** POST: a fresh link (the old one stops working); DELETE: cancel (a user who never accepted is removed). */
  userInvitation: "/api/admin/users/:id/invitation",
  adminOutcomes: "/api/admin/outcomes",
  adminOutcome: "/api/admin/outcomes/:id",
  outcomeOrder: "/api/admin/outcome-order",
  outcomeSettings: "/api/admin/outcome-settings",
  /** Any signed-in user: what the end-of-call picker offers. */
  outcomes: "/api/outcomes",
  /** The call's owner or an admin; `:id` is the server's call id or the softphone's X-Caller-Call-Id. */
  callOutcome: "/api/calls/:id/outcome",
  /** The HTML page an invitation email links to. */
  invitePage: "/invite/:token",
} as const;

export const pathWithId = (path: string, id: number | string): string => path.replace(/:id\b/, encodeURIComponent(String(id)));

export const invitationTtlMs = 7 * 24 * 3600 * 1000;

export const callerStatuses = ["add", "not_connected", "connected"] as const;
export const CallerStatus = z.enum(callerStatuses);
export type CallerStatus = z.infer<typeof CallerStatus>;

/**
 * How the last link reached the invitee: emailed; not sent because the server has no mail
 * server, or the mail server refused it; or only handed to the admin to pass on (Copy link).
 * null: issued before the server kept track.
 */
export const invitationDeliveries = ["emailed", "no_mail_server", "mail_failed", "link_only"] as const;
export const InvitationDelivery = z.enum(invitationDeliveries);
export type InvitationDelivery = z.infer<typeof InvitationDelivery>;

export const PendingInvitation = z.object({ sentAt: z.number().int(), expiresAt: z.number().int(), delivery: InvitationDelivery.nullable() });
export type PendingInvitation = z.infer<typeof PendingInvitation>;

export const CompanyUser = AdminUser.extend({
  status: CallerStatus,
  /** The last invitation not yet accepted (possibly expired); null when none. */
  invitation: PendingInvitation.nullable(),
  /** The user set a password (signed up or accepted an invitation). */
  active: z.boolean(),
  /** When the user accepted their invitation; null when they never had one or have not yet. */
  acceptedAt: z.number().int().nullable(),
});
export type CompanyUser = z.infer<typeof CompanyUser>;

/** "Add": no Caller and no invitation waiting; "Not connected": invited or granted, no number proved; "Connected": a verified number. */
export function callerStatusOf(user: { callerEnabled: boolean; verifiedNumber: string | null; invited: boolean }): CallerStatus {
  if (!user.callerEnabled && !user.invited) return "add";
  return user.callerEnabled && user.verifiedNumber !== null ? "connected" : "not_connected";
}

export const CompanyUsersReply = z.object({ users: z.array(CompanyUser) });
export type CompanyUsersReply = z.infer<typeof CompanyUsersReply>;

export const InviteBody = z.strictObject({
  email: z.string().trim().toLowerCase().email().max(254),
  name: z.string().trim().max(200).optional(),
  /** The invitee's language for the email and the accept page; absent: the company's. */
  language: z.enum(["ja", "en"]).optional(),
});
export type InviteBody = z.input<typeof InviteBody>;

/** A fresh link (the previous one stops working): emailed to the invitee, or only returned for the admin to pass on. */
export const ResendInvitationBody = z.strictObject({ via: z.enum(["email", "link"]).default("email") });
export type ResendInvitationBody = z.input<typeof ResendInvitationBody>;

export const InviteReply = z.object({
  user: CompanyUser,
  /** Sent by email; false when the server has no mailer, the mail server refused it, or only a link was asked for. */
  emailed: z.boolean(),
  delivery: InvitationDelivery,
  /** The accept link, for the admin to copy; null when it was emailed (only the invitee should hold it). */
  link: z.string().nullable(),
});
export type InviteReply = z.infer<typeof InviteReply>;

export const IdParams = z.object({ id: z.coerce.number().int().positive() });

export const AcceptInvitationBody = z.object({
  name: z.string().trim().min(1).max(200),
  password: z.string().min(8).max(512),
});

export const defaultOutcomeKeys = ["connected", "no_answer", "busy", "left_voicemail", "wrong_number"] as const;
export const DefaultOutcomeKey = z.enum(defaultOutcomeKeys);
export type DefaultOutcomeKey = z.infer<typeof DefaultOutcomeKey>;

/** What the server compares names with and snapshots on calls; the app shows its own translation. */
export const defaultOutcomeNames: Record<DefaultOutcomeKey, string> = {
  connected: "Connected",
  no_answer: "No answer",
  busy: "Busy",
  left_voicemail: "Left voicemail",
  wrong_number: "Wrong number",
};

export const OutcomeName = z.string().trim().min(1).max(60);

export const Outcome = z.object({
  id: z.number().int(),
  /** A default's key; null for a custom outcome. */
  key: DefaultOutcomeKey.nullable(),
  /** The admin's name; null: a default shown in the app's language. */
  name: z.string().nullable(),
  enabled: z.boolean(),
  position: z.number().int(),
});
export type Outcome = z.infer<typeof Outcome>;

export const OutcomesReply = z.object({ outcomes: z.array(Outcome), required: z.boolean() });
export type OutcomesReply = z.infer<typeof OutcomesReply>;

export const CreateOutcomeBody = z.strictObject({ name: OutcomeName });
export const UpdateOutcomeBody = z
  .strictObject({ name: OutcomeName.optional(), enabled: z.boolean().optional() })
  .refine((body) => body.name !== undefined || body.enabled !== undefined, { message: "give name or enabled" });
export type UpdateOutcomeBody = z.input<typeof UpdateOutcomeBody>;
export const ReorderOutcomesBody = z.strictObject({ ids: z.array(z.number().int().positive()).min(1).max(500) });
export const OutcomeSettingsBody = z.strictObject({ required: z.boolean() });

export { maxNotesLength };

export const CallRefParams = z.object({
  id: z.string().regex(/^(?:[1-9][0-9]{0,15}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, "a call id or a client call id"),
});

export const LogOutcomeBody = z.strictObject({
  outcomeId: z.number().int().positive(),
  notes: z.string().max(maxNotesLength).default(""),
  /** The same key again is the same submission (an offline replay): answered, not applied twice. */
  idempotencyKey: z.string().min(8).max(64),
});
export type LogOutcomeBody = z.input<typeof LogOutcomeBody>;

export const LoggedOutcome = z.object({
  callId: z.string(),
  outcomeId: z.number().int(),
  /** The outcome's name when logged (a default's English name). */
  outcome: z.string(),
  key: DefaultOutcomeKey.nullable(),
  notes: z.string().nullable(),
  loggedAt: z.number().int(),
});
export type LoggedOutcome = z.infer<typeof LoggedOutcome>;
