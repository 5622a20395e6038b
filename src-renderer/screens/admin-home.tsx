import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { AdminUser } from "../../src-shared/server-api/admin";
import type { Company } from "../../src-shared/domain/company";
import { useApi } from "../api-context";
import { describeError } from "../i18n/i18n";

/** The admin window's home: the company and its users. Every call is checked again on the server. */
export function AdminHome({ company }: { company: Company }) {
  const api = useApi();
  const { t } = useTranslation();
  const [users, setUsers] = useState<AdminUser[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api
      .adminListUsers({})
      .then((reply) => live && setUsers(reply.users))
      .catch((e: unknown) => live && setError(describeError(t, e)));
    return () => {
      live = false;
    };
  }, [api, t]);

  return (
    <main className="admin" data-testid="admin-home">
      <h1>{t("admin.title")}</h1>
      <section aria-labelledby="admin-company">
        <h2 id="admin-company">{t("admin.company")}</h2>
        <p>
          {company.name} — {t("admin.plan")}: {company.plan}
          {company.isTrial ? ` (${t("admin.trial")})` : ""}
        </p>
      </section>
      <section aria-labelledby="admin-users">
        <h2 id="admin-users">{t("admin.users")}</h2>
        {error && <p role="alert" className="error">{error}</p>}
        <ul data-testid="admin-users">
          {users?.map((user) => (
            <li key={user.id}>
              <span>{user.name}</span> <span className="hint">{user.email}</span>{" "}
              <span>{user.role === "admin" ? t("admin.roleAdmin") : t("admin.roleRegular")}</span>
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
