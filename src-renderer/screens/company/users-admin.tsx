import { useCallback, useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { CompanyUser, InviteReply } from "../../../src-shared/server-api/company-admin";
import { CallerError } from "../../../src-shared/errors";
import { useApi } from "../../api-context";
import { useConfirm } from "../../components/ui/confirm";
import { describeError } from "../../i18n/i18n";
import { ConnectedNumberBadge } from "../personal/connected-number-badge";

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
  const act = (work: Promise<unknown>) => {
    setError(null);
    void work.then(reload, (e: unknown) => setError(describeError(t, e)));
  };
  const date = (ms: number) => new Date(ms).toLocaleDateString(i18n.language);

  return (
    <section className="company-users" aria-labelledby="company-users-title" data-testid="company-users">
      <h2 id="company-users-title">{t("company.users.title")}</h2>
      <InviteForm onInvited={() => void reload()} />
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
              <span className="user-name">{user.name}</span> <span className="hint">{user.email}</span>{" "}
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
              {user.invitation && (
                <span className="hint invitation">
                  {t(user.invitation.expiresAt < Date.now() ? "company.users.inviteExpired" : "company.users.invitePending", {
                    date: date(user.invitation.expiresAt < Date.now() ? user.invitation.expiresAt : user.invitation.sentAt),
                  })}{" "}
                  <button type="button" onClick={() => act(api.resendCompanyInvitation({ userId: user.id }))}>
                    {t("company.users.resend")}
                  </button>
                  {!user.active && (
                    <button type="button" onClick={() => act(api.cancelCompanyInvitation({ userId: user.id }))}>
                      {t("company.users.cancelInvite")}
                    </button>
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

function InviteForm({ onInvited }: { onInvited: () => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<InviteReply | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    api
      .inviteCompanyUser({ email, ...(name.trim() === "" ? {} : { name }) })
      .then((reply) => {
        setResult(reply);
        setEmail("");
        setName("");
        onInvited();
      })
      .catch((e: unknown) => setError(e instanceof CallerError && e.code === "conflict" ? t("company.users.alreadyUser") : describeError(t, e)))
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
          {result.emailed ? t("company.users.invitedEmail", { email: result.user.email }) : t("company.users.invitedLink", { email: result.user.email })}
          {result.link !== null && (
            <input readOnly className="invite-link" value={result.link} data-testid="invite-link" onFocus={(e) => e.currentTarget.select()} />
          )}
        </p>
      )}
    </form>
  );
}
