import { useState } from "react";
import { useTranslation } from "react-i18next";
import { assertNever } from "../../src-shared/assert-never";
import { planIncludesCaller, type Company } from "../../src-shared/domain/company";
import { Badge } from "../components/ui/badge";
import { Tabs } from "../components/ui/tabs";
import { OutcomesAdmin } from "./company/outcomes-admin";
import { RecordingAdmin } from "./company/recording-admin";
import { UsersAdmin } from "./company/users-admin";
import { UpgradePanel } from "./plan/no-caller";

const tabs = ["users", "outcomes", "recording"] as const;
type Tab = (typeof tabs)[number];

/** The Company screen (admins): users, call outcomes and call recording. Every action is checked again on the server. */
export function AdminHome({ company }: { company: Company }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>("users");
  return (
    <div className="page-column admin" data-testid="admin-home">
      <header className="page-header">
        <div>
          <h2 data-user-content>{company.name}</h2>
          <p>
            {t("admin.plan")}: {t(`plans.${company.plan}`)} {company.isTrial && <Badge tone="warning">{t("admin.trial")}</Badge>}
          </p>
        </div>
      </header>
      {!planIncludesCaller(company.plan) && <UpgradePanel plan={company.plan} />}
      <Tabs value={tab} onChange={setTab} label={t("company.adminTitle")} idPrefix="admin-tabs" testIdPrefix="admin-tab-" tabs={tabs.map((id) => ({ value: id, label: t(`company.tabs.${id}`) }))}>
        <AdminPanel tab={tab} company={company} />
      </Tabs>
    </div>
  );
}

function AdminPanel({ tab, company }: { tab: Tab; company: Company }) {
  switch (tab) {
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
