import { formatDateTime } from "../../src-shared/format";
import type { MailMessage } from "./mailer";

export type MailLanguage = "ja" | "en";

export interface InvitationEmail {
  to: string;
  companyName: string;
  /** null: the inviter's name is not known; the mail says "your admin". */
  inviterName: string | null;
  link: string;
  expiresAt: number;
  /** The invitee's language, else the company's. */
  language: MailLanguage;
  /** The company's zone: the expiry is a moment there, named in the mail. */
  timeZone: string;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

interface Words {
  subject: string;
  invited: string;
  accept: string;
  button: string;
  expires: string;
}

function words(invite: InvitationEmail, expires: string): Words {
  switch (invite.language) {
    case "ja":
      return {
        subject: `${invite.companyName}: Caller への招待`,
        invited: `${invite.inviterName ?? "管理者"}さんから、${invite.companyName} の Caller で電話をかけるための招待が届きました。`,
        accept: `次のリンクで招待を受け入れ、パスワードを設定してください: ${invite.link}`,
        button: "招待を受け入れる",
        expires: `このリンクは1回だけ、${expires} まで使えます。その後 Caller アプリでサインインし、電話番号を接続してください。`,
      };
    case "en":
      return {
        subject: `${invite.companyName}: you're invited to Caller`,
        invited: `${invite.inviterName ?? "Your admin"} invited you to make calls with Caller for ${invite.companyName}.`,
        accept: `Accept the invitation and choose your password: ${invite.link}`,
        button: "Accept the invitation",
        expires: `The link works once and until ${expires}. Then sign in with the Caller app and connect your phone number.`,
      };
  }
}

/** Plain text first (what most clients and the tests read), the same words in HTML, in the invitee's language. */
export function invitationEmail(invite: InvitationEmail): MailMessage {
  // The reader's computer zone is unknown: always name the company's.
  const expires = formatDateTime(invite.expiresAt, invite.language, invite.timeZone, "");
  const w = words(invite, expires);
  return {
    to: invite.to,
    subject: w.subject,
    text: [w.invited, "", w.accept, "", w.expires].join("\n"),
    html: `<p>${escapeHtml(w.invited)}</p><p><a href="${escapeHtml(invite.link)}">${escapeHtml(w.button)}</a></p><p>${escapeHtml(w.expires)}</p>`,
  };
}

export { escapeHtml };
