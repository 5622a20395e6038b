import { useCallback, useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { companyLanguage } from "../../../src-shared/domain/company";
import type { CompanyUser, InviteReply } from "../../../src-shared/server-api/company-admin";
import { CallerError } from "../../../src-shared/errors";
import { formatDateTime } from "../../../src-shared/format";
import { useApi } from "../../api-context";
import { useConfirm } from "../../components/ui/confirm";
import { useToast } from "../../components/ui/toast";
import { describeError } from "../../i18n/i18n";
import { ConnectedNumberBadge } from "../personal/connected-number-badge";
import { useSessionCompany } from "./use-session-company";

type T = (key: string, options?: Record<string, unknown>) => string;

/** What the users list says about a user's invitation: how it went out, expired, or accepted; null: nothing to say. */
export function invitationText(user: Pick<CompanyUser, "invitation" | "active" | "acceptedAt">, now: number, t: T, date: (ms: number) => string): string | null {
  const { invitation } = user;
  if (invitation === null) return user.active && user.acceptedAt !== null ? t("company.users.invitation.accepted", { date: date(user.acceptedAt) }) : null;
  if (invitation.expiresAt <= now) return t("company.users.invitation.expired", { date: date(invitation.expiresAt) });
  return t(`company.users.invitation.${invitation.delivery ?? "unknown"}`, { date: date(invitation.sentAt) });
}

/** Puts text on the clipboard; false when the browser refuses (no permission, no focus). */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** Company settings → Users: Caller status per user, invitations, grant and revoke. */
export function UsersAdmin() {
  const api = useApi();
  const { t, i18n } = useTranslation();
  const [users, setUsers] = useState<CompanyUser[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<number | null>(null);

  const reload = useCallback(
    () =>
      api
        .listCompanyUsers({})
        .then((reply) => setUsers(reply.users))
        .catch((e: unknown) => setError(describeError(t, e))),
    [api, t],
  );
  useEffect(() => {
    void reload();
  }, [reload]);

  const confirm = useConfirm();
  const toast = useToast();
  const company = useSessionCompany();
  const act = (work: Promise<unknown>) => {
    setError(null);
    void work.then(reload, (e: unknown) => setError(describeError(t, e)));
  };
  const date = (ms: number) => formatDateTime(ms, i18n.language, company?.timeZone);

  /** Send again by email, or make a fresh link to copy; either way say what happened. */
  const renew = (user: CompanyUser, via: "email" | "link") => {
    setError(null);
    void api
      .resendCompanyInvitation({ userId: user.id, via })
      .then(async (reply) => {
        if (reply.emailed) toast.success(t("company.users.resentEmail", { email: user.email }), t("company.users.resentDetail"));
        else if (reply.link !== null) {
          const copied = await copyText(reply.link);
          const title =
            via === "link" ? t("company.users.linkCopied", { email: user.email }) : reply.delivery === "mail_failed" ? t("company.users.resentFailed") : t("company.users.resentNoMail");
          const detail = via === "link" ? t("company.users.linkCopiedDetail") : t("company.users.resentLinkDetail", { email: user.email });
          if (copied) toast.show({ tone: via === "link" ? "success" : "info", title, description: detail });
          else toast.show({ tone: "info", title: t("company.users.linkNotCopied", { email: user.email }), description: reply.link });
        }
        await reload();
      })
      .catch((e: unknown) => setError(describeError(t, e)));
  };

  return (
    <section className="company-users" aria-labelledby="company-users-title" data-testid="company-users">
      <h2 id="company-users-title">{t("company.users.title")}</h2>
      <InviteForm onInvited={() => void reload()} defaultLanguage={company === null ? null : companyLanguage(company)} />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {users === null ? (
        <p>{t("company.users.loading")}</p>
      ) : (
        <ul className="user-list">
          {users.map((user) => (
            <li key={user.id} data-testid="company-user" data-email={user.email} data-status={user.status}>
              <span className="user-name" data-user-content>
                {user.name}
              </span> <span className="hint">{user.email}</span>{" "}
              <span className="hint">{user.role === "admin" ? t("company.users.roleAdmin") : t("company.users.roleRegular")}</span>{" "}
              <button
                type="button"
                className={`caller-status ${user.status}`}
                data-testid="caller-status"
                title={t(`company.users.statusHint.${user.status}`)}
                aria-expanded={user.status === "connected" ? expanded === user.id : undefined}
                onClick={() => {
                  if (user.status === "add") act(api.setCompanyUserCaller({ userId: user.id, enabled: true }));
                  else if (user.status === "connected") setExpanded(expanded === user.id ? null : user.id);
                }}
              >
                {t(`company.users.status.${user.status}`)}
              </button>
              {expanded === user.id && (
                <span className="user-number">
                  {t("company.users.number")}: <ConnectedNumberBadge number={user.verifiedNumber} />
                </span>
              )}
              {(user.invitation !== null || (user.active && user.acceptedAt !== null)) && (
                <span className="hint invitation" data-testid="invitation-status" data-delivery={user.invitation?.delivery ?? (user.active ? "accepted" : "")}>
                  {invitationText(user, Date.now(), t, date)}{" "}
                  {user.invitation && !user.active && (
                    <>
                      <button type="button" data-testid="invite-resend" onClick={() => renew(user, "email")}>
                        {t("company.users.resend")}
                      </button>
                      <button type="button" data-testid="invite-copy-link" onClick={() => renew(user, "link")}>
                        {t("company.users.copyInviteLink")}
                      </button>
                      <button type="button" onClick={() => act(api.cancelCompanyInvitation({ userId: user.id }))}>
                        {t("company.users.cancelInvite")}
                      </button>
                    </>
                  )}
                </span>
              )}
              {user.role === "admin" ? (
                <span className="hint">{t("company.users.adminAlways")}</span>
              ) : (
                user.callerEnabled && (
                  <button
                    type="button"
                    className="danger"
                    data-testid="revoke-caller"
                    onClick={() =>
                      void confirm({ title: t("company.users.revokeConfirm", { name: user.name }), confirmLabel: t("company.users.revoke") }).then(
                        (yes) => yes && act(api.setCompanyUserCaller({ userId: user.id, enabled: false })),
                      )
                    }
                  >
                    {t("company.users.revoke")}
                  </button>
                )
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function InviteForm({ onInvited, defaultLanguage }: { onInvited: () => void; defaultLanguage: "ja" | "en" | null }) {
  const api = useApi();
  const { t } = useTranslation();
  const toast = useToast();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [language, setLanguage] = useState<"ja" | "en" | null>(null);
  const chosenLanguage = language ?? defaultLanguage;
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<InviteReply | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    api
      .inviteCompanyUser({ email, ...(name.trim() === "" ? {} : { name }), ...(language === null ? {} : { language }) })
      .then((reply) => {
        setResult(reply);
        setEmail("");
        setName("");
        onInvited();
      })
      .catch((e: unknown) => setError(e instanceof CallerError && e.code === "conflict" && e.reason === undefined ? t("company.users.alreadyUser") : describeError(t, e)))
      .finally(() => setBusy(false));
  };

  return (
    <form className="invite-form" onSubmit={submit} aria-label={t("company.users.inviteTitle")}>
      <h3>{t("company.users.inviteTitle")}</h3>
      <label>
        {t("company.users.email")} <input type="email" required maxLength={254} value={email} onChange={(e) => setEmail(e.target.value)} data-testid="invite-email" />
      </label>
      <label>
        {t("company.users.name")} <input maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        {t("company.users.inviteLanguage")}{" "}
        <select value={chosenLanguage ?? "en"} onChange={(e) => setLanguage(e.target.value === "ja" ? "ja" : "en")} data-testid="invite-language">
          <option value="ja">日本語</option>
          <option value="en" lang="en">English</option>
        </select>
      </label>
      <button type="submit" disabled={busy}>
        {busy ? t("company.users.inviting") : t("company.users.invite")}
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {result && (
        <p role="status" data-testid="invite-result">
          {result.emailed
            ? t("company.users.invitedEmail", { email: result.user.email })
            : t(result.delivery === "mail_failed" ? "company.users.invitedFailed" : "company.users.invitedLink", { email: result.user.email })}
          {result.link !== null && (
            <span className="invite-link-row">
              <input readOnly className="invite-link" value={result.link} data-testid="invite-link" onFocus={(e) => e.currentTarget.select()} />
              <button
                type="button"
                data-testid="invite-link-copy"
                onClick={() => {
                  const link = result.link ?? "";
                  void copyText(link).then((copied) =>
                    copied ? toast.success(t("company.users.linkCopied", { email: result.user.email })) : toast.show({ tone: "info", title: t("company.users.linkNotCopied", { email: result.user.email }), description: link }),
                  );
                }}
              >
                {t("company.users.copyLink")}
              </button>
            </span>
          )}
        </p>
      )}
    </form>
  );
}
