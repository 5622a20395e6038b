import { escapeHtml } from "../mail/invitation-email";
import type { InvitationCheck } from "./invitation-service";

const reasons: Record<Exclude<InvitationCheck, { ok: true }>["reason"], string> = {
  unknown: "This invitation link is not valid. Ask your admin for a new one.",
  used: "This invitation has already been used or was replaced by a newer one. Sign in with the Caller app, or ask your admin for a new link.",
  expired: "This invitation has expired. Ask your admin to send a new one.",
};

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1d2330}label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.5rem;box-sizing:border-box}button{margin-top:1rem;padding:.6rem 1.2rem}.error{color:#b3261e}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

export function invitationProblemPage(reason: Exclude<InvitationCheck, { ok: true }>["reason"]): string {
  return page("Invitation", `<p class="error" role="alert" data-testid="invite-error">${escapeHtml(reasons[reason])}</p>`);
}

export function acceptFormPage(email: string, name: string, error: string | null): string {
  return page(
    "Join Caller",
    `<p>Choose your name and password for <strong data-testid="invite-email">${escapeHtml(email)}</strong>.</p>
${error === null ? "" : `<p class="error" role="alert">${escapeHtml(error)}</p>`}
<form method="post">
<label for="name">Name</label><input id="name" name="name" required maxlength="200" value="${escapeHtml(name)}" autocomplete="name">
<label for="password">Password (8 characters or more)</label><input id="password" name="password" type="password" required minlength="8" maxlength="512" autocomplete="new-password">
<button type="submit">Accept invitation</button>
</form>`,
  );
}

export function acceptedPage(email: string): string {
  return page(
    "You're in",
    `<p data-testid="invite-accepted">Your account is ready. Open the Caller app and sign in as <strong>${escapeHtml(email)}</strong>, then connect your phone number.</p>`,
  );
}
