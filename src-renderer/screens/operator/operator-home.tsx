import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Language, Settings } from "../../../src-shared/api/contract";
import { assertNever } from "../../../src-shared/assert-never";
import type { OperatorAccount } from "../../../src-shared/server-api/auth";
import { useApi } from "../../api-context";
import { LanguagePicker } from "../../components/language-picker";
import { ApprovalsPanel } from "./approvals-panel";
import { BlocksPanel } from "./blocks-panel";
import { CompaniesPanel } from "./companies-panel";
import { OperatorTariffPanel } from "./operator-tariff-panel";

const tabs = ["companies", "approvals", "tariff", "blocks"] as const;
type Tab = (typeof tabs)[number];

/**
 * What the app shows the service operator instead of the phone: every
 * company's usage and invoice limits, purchases waiting for approval, the
 * tariff and the destination blocks. The server refuses any of it to a
 * company session, whatever this shows.
 */
export function OperatorHome({ operator, settings, onLanguage }: { operator: OperatorAccount; settings: Settings; onLanguage: (l: Language | null) => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>("companies");
  return (
    <div className="workspace operator-home" data-testid="operator-home">
      <header className="top-bar">
        <strong>{t("operator.title")}</strong>
        <span className="who">{t("operator.signedInAs", { name: operator.name })}</span>
        <nav>
          <LanguagePicker language={settings.language} onLanguage={onLanguage} />
          <button type="button" onClick={() => void api.signOut({})}>
            {t("app.signOut")}
          </button>
        </nav>
      </header>
      <main className="admin">
        <nav className="admin-tabs" role="tablist" aria-label={t("operator.title")}>
          {tabs.map((id) => (
            <button key={id} type="button" role="tab" id={`operator-tab-${id}`} aria-selected={tab === id} aria-controls="operator-panel" data-testid={`operator-tab-${id}`} onClick={() => setTab(id)}>
              {t(`operator.tabs.${id}`)}
            </button>
          ))}
        </nav>
        <div id="operator-panel" className="operator-panel" role="tabpanel" aria-labelledby={`operator-tab-${tab}`}>
          <Panel tab={tab} />
        </div>
      </main>
    </div>
  );
}

function Panel({ tab }: { tab: Tab }) {
  switch (tab) {
    case "companies":
      return <CompaniesPanel />;
    case "approvals":
      return <ApprovalsPanel />;
    case "tariff":
      return <OperatorTariffPanel />;
    case "blocks":
      return <BlocksPanel />;
    default:
      return assertNever(tab, "operator tab");
  }
}
