import { useState } from "react";
import { useTranslation } from "react-i18next";
import { assertNever } from "../../src-shared/assert-never";
import type { Company } from "../../src-shared/domain/company";
import { OutcomesAdmin } from "./company/outcomes-admin";
import { RecordingAdmin } from "./company/recording-admin";
import { UsersAdmin } from "./company/users-admin";
import { CreditsAdmin } from "./credits/credits-admin";

const tabs = ["credits", "outcomes", "recording", "users"] as const;
type Tab = (typeof tabs)[number];

/** The admin window: calling credits, call outcomes, call recording and users. Every action is checked again on the server. */
export function AdminHome({ company }: { company: Company }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>("credits");
  return (
    <main className="admin" data-testid="admin-home">
      <h1>{t("company.adminTitle")}</h1>
      <p className="hint">
        {company.name} — {t("admin.plan")}: {company.plan}
        {company.isTrial ? ` (${t("admin.trial")})` : ""}
      </p>
      <nav className="admin-tabs" role="tablist" aria-label={t("company.adminTitle")}>
        {tabs.map((id) => (
          <button key={id} type="button" role="tab" id={`admin-tab-${id}`} aria-selected={tab === id} aria-controls="admin-panel" data-testid={`admin-tab-${id}`} onClick={() => setTab(id)}>
            {t(`company.tabs.${id}`)}
          </button>
        ))}
      </nav>
      <div id="admin-panel" role="tabpanel" aria-labelledby={`admin-tab-${tab}`}>
        <AdminPanel tab={tab} company={company} />
      </div>
    </main>
  );
}

function AdminPanel({ tab, company }: { tab: Tab; company: Company }) {
  switch (tab) {
    case "credits":
      return <CreditsAdmin company={company} />;
    case "outcomes":
      return <OutcomesAdmin />;
    case "recording":
      return <RecordingAdmin company={company} />;
    case "users":
      return <UsersAdmin />;
    default:
      return assertNever(tab, "admin tab");
  }
}
