import { escapeHtml, type MailLanguage } from "../mail/invitation-email";
import type { InvitationCheck } from "./invitation-service";

type Problem = Exclude<InvitationCheck, { ok: true }>["reason"];

interface PageWords {
  problemTitle: string;
  problems: Record<Problem, string>;
  formTitle: string;
  formIntro: (email: string) => string;
  name: string;
  password: string;
  submit: string;
  formError: string;
  doneTitle: string;
  done: (email: string) => string;
}

const strong = (email: string) => `<strong data-testid="invite-email">${escapeHtml(email)}</strong>`;

/** The accept page's words, in the invitee's language (or the company's); no script, so they are written out here. */
const pageWords: Record<MailLanguage, PageWords> = {
  en: {
    problemTitle: "Invitation",
    problems: {
      unknown: "This invitation link is not valid. Ask your admin for a new one.",
      used: "This invitation has already been used or was replaced by a newer one. Sign in with the Caller app, or ask your admin for a new link.",
      expired: "This invitation has expired. Ask your admin to send a new one.",
    },
    formTitle: "Join Caller",
    formIntro: (email) => `Choose your name and password for ${strong(email)}.`,
    name: "Name",
    password: "Password (8 characters or more)",
    submit: "Accept invitation",
    formError: "Enter your name and a password of at least 8 characters.",
    doneTitle: "You're in",
    done: (email) => `Your account is ready. Open the Caller app and sign in as <strong>${escapeHtml(email)}</strong>, then connect your phone number.`,
  },
  ja: {
    problemTitle: "招待",
    problems: {
      unknown: "この招待リンクは無効です。管理者に新しいリンクを依頼してください。",
      used: "この招待はすでに使われたか、新しい招待に置き換えられました。Caller アプリでサインインするか、管理者に新しいリンクを依頼してください。",
      expired: "この招待は期限切れです。管理者に再送を依頼してください。",
    },
    formTitle: "Caller に参加",
    formIntro: (email) => `${strong(email)} の名前とパスワードを設定してください。`,
    name: "名前",
    password: "パスワード（8文字以上）",
    submit: "招待を受け入れる",
    formError: "名前と8文字以上のパスワードを入力してください。",
    doneTitle: "準備ができました",
    done: (email) => `アカウントの準備ができました。Caller アプリを開いて <strong>${escapeHtml(email)}</strong> でサインインし、電話番号を接続してください。`,
  },
};

/** For a link that names no invitation: the browser's first choice of ja or en. */
export function browserLanguage(acceptLanguage: string | undefined): MailLanguage {
  for (const part of (acceptLanguage ?? "").split(",")) {
    const base = part.trim().split(/[-;]/)[0]?.toLowerCase();
    if (base === "ja" || base === "en") return base;
  }
  return "en";
}

function page(language: MailLanguage, title: string, body: string): string {
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1d2330}label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.5rem;box-sizing:border-box}button{margin-top:1rem;padding:.6rem 1.2rem}.error{color:#b3261e}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

export function invitationProblemPage(reason: Problem, language: MailLanguage): string {
  const w = pageWords[language];
  return page(language, w.problemTitle, `<p class="error" role="alert" data-testid="invite-error">${escapeHtml(w.problems[reason])}</p>`);
}

export function acceptFormPage(email: string, name: string, error: "incomplete" | null, language: MailLanguage): string {
  const w = pageWords[language];
  return page(
    language,
    w.formTitle,
    `<p>${w.formIntro(email)}</p>
${error === null ? "" : `<p class="error" role="alert">${escapeHtml(w.formError)}</p>`}
<form method="post">
<label for="name">${escapeHtml(w.name)}</label><input id="name" name="name" required maxlength="200" value="${escapeHtml(name)}" autocomplete="name">
<label for="password">${escapeHtml(w.password)}</label><input id="password" name="password" type="password" required minlength="8" maxlength="512" autocomplete="new-password">
<button type="submit">${escapeHtml(w.submit)}</button>
</form>`,
  );
}

export function acceptedPage(email: string, language: MailLanguage): string {
  const w = pageWords[language];
  return page(language, w.doneTitle, `<p data-testid="invite-accepted">${w.done(email)}</p>`);
}
