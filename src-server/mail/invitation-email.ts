import type { MailMessage } from "./mailer";

export interface InvitationEmail {
  to: string;
  companyName: string;
  inviterName: string;
  link: string;
  expiresAt: number;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/** Plain text first (what most clients and the tests read), the same words in HTML. */
export function invitationEmail(invite: InvitationEmail): MailMessage {
  const expires = new Date(invite.expiresAt).toISOString().slice(0, 10);
  const lines = [
    `${invite.inviterName} invited you to make calls with Caller for ${invite.companyName}.`,
    "",
    `Accept the invitation and choose your password: ${invite.link}`,
    "",
    `The link works once and until ${expires} (UTC). Then sign in with the Caller app and connect your phone number.`,
  ];
  return {
    to: invite.to,
    subject: `${invite.companyName}: you're invited to Caller`,
    text: lines.join("\n"),
    html: `<p>${escapeHtml(lines[0] ?? "")}</p><p><a href="${escapeHtml(invite.link)}">Accept the invitation</a></p><p>${escapeHtml(lines[4] ?? "")}</p>`,
  };
}

export { escapeHtml };
