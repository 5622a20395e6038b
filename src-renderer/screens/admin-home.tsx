import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { assertNever } from "../../src-shared/assert-never";
import { planIncludesCaller, type Company } from "../../src-shared/domain/company";
import { Badge } from "../components/ui/badge";
import { Tabs } from "../components/ui/tabs";
import { CoachingAdmin } from "./company/coaching-admin";
import { OutcomesAdmin } from "./company/outcomes-admin";
import { RecordingAdmin } from "./company/recording-admin";
import { UsersAdmin } from "./company/users-admin";
import { InboundAdmin } from "./inbound/inbound-admin";
import { CallingHoursAdmin } from "./power-dialer/calling-hours-admin";
import { UpgradePanel } from "./plan/no-caller";

const tabs = ["users", "outcomes", "recording", "phoneNumbers", "callingHours", "coaching"] as const;
type Tab = (typeof tabs)[number];

/** The Company screen (admins): users, call outcomes, call recording, phone numbers, calling hours and coaching. Every action is checked again on the server. */
function tabLabel(id: Tab, t: TFunction): string {
  if (id === "coaching") return t("coaching.tab");
  if (id === "callingHours") return t("powerDialer.hours.title");
  if (id === "phoneNumbers") return t("inbound.admin.tab");
  return t(`company.tabs.${id}`);
}

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
      <Tabs value={tab} onChange={setTab} label={t("company.adminTitle")} idPrefix="admin-tabs" testIdPrefix="admin-tab-" tabs={tabs.map((id) => ({ value: id, label: tabLabel(id, t) }))}>
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
    case "coaching":
      return <CoachingAdmin />;
    case "callingHours":
      return <CallingHoursAdmin />;
    case "phoneNumbers":
      return <InboundAdmin />;
    default:
      return assertNever(tab, "admin tab");
  }
}
